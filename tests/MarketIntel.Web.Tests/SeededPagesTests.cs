using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketIntel.Web.Tests;

/// <summary>Pages over jobs seeded straight into Redis (no worker): hostile output, validation, phone width, operator.</summary>
public sealed class SeededPagesTests(SeededApp app) : IClassFixture<SeededApp>
{
    private const string Script = "<script>window.__pwned=1</script>";
    private const string Image = "<img src=x onerror=\"window.__pwned=1\">";
    private const string Link = "[x](javascript:window.__pwned=1)";

    [Fact]
    public async Task Hostile_model_output_is_shown_as_text_and_never_runs()
    {
        var id = await SeedHostileJobAsync();
        var page = await app.NewPageAsync();

        await page.GotoAsync($"/job.html?id={id}");
        await Expect(page.Locator(".stage")).ToHaveCountAsync(6);
        await Expect(page.Locator(".stage[data-stage='1']")).ToContainTextAsync(Script);
        await Expect(page.Locator(".stage[data-stage='2'] .stage-error")).ToHaveTextAsync(Image);
        await Expect(page.Locator(".stage script, .stage img")).ToHaveCountAsync(0);
        Assert.True(await NotPwnedAsync(page));

        await page.GotoAsync($"/report.html?id={id}");
        await Expect(page.Locator("#report-title")).ToContainTextAsync(Image);
        var frame = page.FrameLocator("#report-frame");
        await Expect(frame.Locator("nav.toc li").First).ToBeVisibleAsync();
        await Expect(frame.Locator("h1")).ToBeVisibleAsync();
        await Expect(frame.Locator("script")).ToHaveCountAsync(0);
        await Expect(frame.Locator("[onerror]")).ToHaveCountAsync(0);
        await Expect(frame.Locator("a[href^='javascript']")).ToHaveCountAsync(0);
        await Expect(frame.Locator("nav.toc")).ToContainTextAsync("<img");
        await page.WaitForTimeoutAsync(300);
        Assert.True(await NotPwnedAsync(page));

        await page.GotoAsync($"/edit.html?id={id}&stage=2");
        var control = page.Locator("[data-field='price_justification']").Locator("textarea, input").First;
        await Expect(control).ToHaveValueAsync($"{Script} {Image} {Link}");
        await Expect(page.Locator("[data-field='top_fears[0].name'] input")).ToHaveValueAsync(Image);
        await Expect(page.Locator("#editor script, #editor img")).ToHaveCountAsync(0);
        Assert.True(await NotPwnedAsync(page));
        Assert.Empty(app.PageErrors);
    }

    [Fact]
    public async Task An_empty_step_shows_errors_at_the_fields()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#next");

        var name = page.Locator("#profile-business_name");
        await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#profile-business_name-error")).ToContainTextAsync("is required");
        Assert.Contains("profile-business_name-error", await name.GetAttributeAsync("aria-describedby"));
        await Expect(page.Locator("#profile-business_stage")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(name).ToBeFocusedAsync();
        await Expect(page.Locator("#step-label")).ToContainTextAsync("Step 1 of 3");

        // The 50-character minimum of required long answers, as the server applies it.
        await page.FillAsync("#profile-current_offer_description", "Too short.");
        await page.ClickAsync("#next");
        await Expect(page.Locator("#profile-current_offer_description-error")).ToContainTextAsync("at least 50 characters");
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("research-validation"), FullPage = true });

        // The offer form blocks the same way.
        var id = await SeedHostileJobAsync();
        await page.GotoAsync($"/offer.html?research={id}");
        await page.ClickAsync("#generate");
        await Expect(page.Locator("[data-field='strategic_priorities'] .error")).ToContainTextAsync("at least one");
        await Expect(page.Locator("#p-comfortable_price_range\\.min")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#p-primary_transformation")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Empty(app.PageErrors);
    }

    [Fact]
    public async Task Server_field_errors_appear_at_their_fields()
    {
        var page = await app.NewPageAsync();
        // The forms apply the server's rules, so each request is changed on its way: only the server rejects it.
        await page.RouteAsync("**/api/jobs", async route =>
        {
            var body = JsonNode.Parse(route.Request.PostData!)!;
            if (body["profile"] is JsonObject profile)
            {
                profile["business_stage"] = "established";
                profile["unique_mechanism"] = "Too short.";
            }
            if (body["preferences"] is JsonObject preferences)
            {
                preferences["strategic_priorities"] = new JsonArray("maximize_everything");
                preferences["pricing_strategy"] = "cheapest";
            }
            await route.ContinueAsync(new() { PostData = Encoding.UTF8.GetBytes(body.ToJsonString()) });
        });

        await page.GotoAsync("/");
        await Expect(page.Locator("#sample option[value='wealth-executive-coaching']")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#sample", "wealth-executive-coaching");
        await page.ClickAsync("#fill-sample");
        await page.ClickAsync("#next");
        await page.ClickAsync("#next");
        await page.ClickAsync("#submit");

        // Back on the first step with an error; each of the api's messages at its field, the first one focused.
        await Expect(page.Locator("#page-alert")).ToContainTextAsync("The job request is invalid.");
        await Expect(page.Locator("#step-label")).ToContainTextAsync("Step 1 of 3");
        var stage = page.Locator("#profile-business_stage");
        await Expect(stage).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#profile-business_stage-error")).ToContainTextAsync("'established' is not allowed");
        await Expect(stage).ToBeFocusedAsync();
        await Expect(page.Locator("#profile-unique_mechanism")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#profile-unique_mechanism-error")).ToContainTextAsync("at least 50 characters");
        await Expect(page.Locator("#profile-business_name")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Assert.EndsWith("/", page.Url);
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("research-server-errors"), FullPage = true });

        // The offer form: "preferences.strategic_priorities[0]" belongs to the priorities group.
        var id = await SeedHostileJobAsync();
        await page.GotoAsync($"/offer.html?research={id}");
        await page.ClickAsync("#fill-prefs");
        await page.ClickAsync("#generate");
        await Expect(page.Locator("#page-alert")).ToContainTextAsync("The job request is invalid.");
        await Expect(page.Locator("[data-field='strategic_priorities'] .error")).ToContainTextAsync("'maximize_everything' is not allowed");
        await Expect(page.Locator("#p-pricing_strategy")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#p-pricing_strategy-error")).ToContainTextAsync("'cheapest' is not allowed");
        Assert.DoesNotContain("job=", page.Url, StringComparison.Ordinal);
        Assert.Empty(app.PageErrors);
    }

    [Fact]
    public async Task Pages_fit_a_phone_without_horizontal_scrolling()
    {
        var id = await SeedHostileJobAsync();
        var page = await app.NewPageAsync(375, 812);
        string[] paths = ["/", $"/job.html?id={id}", $"/report.html?id={id}", $"/edit.html?id={id}&stage=2", $"/offer.html?research={id}",
            "/history.html", "/operator.html"];
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow}px at 375px.");
        }
        await page.GotoAsync($"/job.html?id={id}");
        await Expect(page.Locator(".stage")).ToHaveCountAsync(6);
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("phone-job"), FullPage = true });
        await page.GotoAsync("/");
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("phone-research"), FullPage = true });
    }

    [Fact]
    public async Task The_operator_rolls_back_a_stage_routing()
    {
        using (var change = new HttpRequestMessage(HttpMethod.Put, "/api/routing/stages/1"))
        {
            change.Headers.Add("X-Api-Key", KestrelApi.AdminKey);
            change.Content = JsonContent.Create(new { candidate = "@cf/meta/llama-3.1-70b-instruct-fp8-fast", candidateShare = 10, reason = "Canary for phase 1" });
            var response = await app.Http.SendAsync(change);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var page = await app.NewPageAsync();
        await page.GotoAsync("/operator.html");
        await page.FillAsync("#api-key", "wrong-key");
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#api-key-error")).ToContainTextAsync("not valid");

        await page.FillAsync("#api-key", KestrelApi.AdminKey);
        await page.ClickAsync("#key-form button[type=submit]");
        var stage1 = page.Locator("#matrix tr[data-stage='1']");
        await Expect(stage1).ToContainTextAsync("C 10%");
        await Expect(page.Locator("#matrix tr[data-stage='4']")).ToContainTextAsync("protected");
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("operator"), FullPage = true });

        var entries = page.Locator("#history > li");
        var before = await entries.CountAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync("Canary looked wrong");
        var target = page.Locator("#history > li:not(:has(.badge.succeeded)) button").First;
        await target.ClickAsync();
        await Expect(page.Locator("#page-status")).ToContainTextAsync("Rolled back");
        await Expect(stage1).Not.ToContainTextAsync("C 10%");
        await Expect(entries).ToHaveCountAsync(before + 1);
        await Expect(entries.First).ToContainTextAsync("Canary looked wrong");

        // The key lives in this tab's session only; a reload keeps the console open.
        await page.ReloadAsync();
        await Expect(stage1).Not.ToContainTextAsync("C 10%");
        Assert.Empty(app.PageErrors);
    }

    private static Task<bool> NotPwnedAsync(IPage page) => page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'");

    /// <summary>A finished research job whose outputs, model name, error and report carry script-bearing text.</summary>
    private async Task<string> SeedHostileJobAsync()
    {
        var id = await app.CreateResearchJobAsync();
        var store = app.Store;
        var hostile = $"{Script} {Image} {Link}";
        await store.SetStatusAsync(id, JobStatus.Running);
        for (var stage = 1; stage <= 6; stage++)
        {
            var content = stage switch
            {
                2 => new JsonObject
                {
                    ["top_fears"] = new JsonArray(new JsonObject { ["name"] = Image, ["intensity"] = 7, ["quote"] = Script }),
                    ["price_justification"] = hostile,
                }.ToJsonString(),
                6 => $"# Report {Image}\n\n## Summary {Script}\n\n{hostile}\n\n## Next <img src=x onerror=alert(1)>\n\n[click]({"javascript:window.__pwned=1"})\n",
                _ => new JsonObject { ["summary"] = hostile }.ToJsonString(),
            };
            await store.AppendOutputAsync(id, stage, version => new StageOutputVersion
            {
                Version = version,
                Source = OutputSource.Model,
                CreatedAt = store.Time.GetUtcNow(),
                Content = content,
                Validation = new ValidationResult(stage, StageCatalog.Get(stage).Name, [], [], 100, new ValidationMetrics(1, 0, 0, content.Length)),
                Model = Script,
            });
            await store.SetStageAsync(id, new StageState
            {
                Stage = stage,
                Name = StageCatalog.Get(stage).Name,
                Status = StageStatus.Succeeded,
                Model = stage == 1 ? Script : "@cf/meta/llama-3.1-70b-instruct",
                QualityScore = 100,
                Error = stage == 2 ? Image : null,
            });
        }
        await store.SetStatusAsync(id, JobStatus.Succeeded);
        return id;
    }
}
