using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketIntel.Web.Tests;

/// <summary>
/// The job page against a running pipeline whose models the test slows down: cancel, rerun of stale stages, and live
/// progress that survives a failed and a dropped event stream.
/// </summary>
public sealed class LiveJobTests(RunningApp app) : IClassFixture<RunningApp>, IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveCountOptions Slow = new() { Timeout = 120_000 };
    private static readonly LocatorAssertionsToHaveAttributeOptions SlowAttribute = new() { Timeout = 60_000 };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => app.ResetModelsAsync();

    [Fact]
    public async Task Cancel_stops_a_running_job()
    {
        // Every model call takes two minutes: the job is still running whenever the button is pressed.
        await app.SlowModelsAsync(TimeSpan.FromMinutes(2));
        var id = await app.CreateResearchJobAsync();
        var page = await app.NewPageAsync();
        await page.GotoAsync($"/job.html?id={id}");
        await Expect(page.Locator(".stage[data-stage='1']")).ToHaveAttributeAsync("data-status", "running", SlowAttribute);

        await page.ClickAsync("#cancel");

        await Expect(page.Locator("#job-summary")).ToContainTextAsync("Status: cancelled", new() { Timeout = 60_000 });
        await Expect(page.Locator(".stage[data-status=cancelled]")).ToHaveCountAsync(6);
        await Expect(page.Locator("#cancel")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("job-cancelled"), FullPage = true });
        var job = await GetJobAsync(id);
        Assert.Equal("cancelled", (string?)job["status"]);
        Assert.All(job["stages"]!.AsArray(), stage => Assert.Equal("cancelled", (string?)stage!["status"]));
        Assert.Empty(app.PageErrors);
    }

    [Fact]
    public async Task While_a_stage_streams_its_progress_grows_on_the_job_page_and_the_report_appears_as_it_is_written()
    {
        // Slow enough to watch (the report's thousands of tokens take tens of seconds), fast enough for a test.
        await app.SetModelSpeedAsync(TimeSpan.Zero, tokensPerSecond: 300);
        var id = await app.CreateResearchJobAsync();
        var page = await app.NewPageAsync();
        await page.GotoAsync($"/job.html?id={id}");
        await Expect(page.Locator("#emulator-banner")).ToContainTextAsync("model emulator");

        var bar = page.Locator(".stage[data-stage='2'] .stage-progress progress");
        await Expect(bar).ToHaveCountAsync(1, Slow);
        var first = double.Parse(await bar.GetAttributeAsync("value") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync(
            "before => { const p = document.querySelector(\".stage[data-stage='2'] .stage-progress progress\"); return !p || p.value > before; }",
            first, new() { Timeout = 60_000 });
        await Expect(page.Locator("#job-eta")).ToContainTextAsync("left");

        // The report: once stage 6 streams, its page shows the text so far, growing, then the finished report.
        await Expect(page.Locator(".stage[data-stage='6'] .stage-progress")).ToHaveCountAsync(1, Slow);
        var report = await app.NewPageAsync();
        await report.GotoAsync($"/report.html?id={id}");
        var draft = report.Locator("#report-draft-text");
        await Expect(draft).ToContainTextAsync("#", new() { Timeout = 30_000 });
        var length = (await draft.TextContentAsync())!.Length;
        await report.WaitForFunctionAsync(
            "before => { const d = document.getElementById('report-draft-text'); return d.closest('[hidden]') !== null || d.textContent.length > before; }",
            length, new() { Timeout = 60_000 });
        await report.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("report-being-written"), FullPage = true });
        await Expect(report.Locator("#report-draft")).ToBeHiddenAsync(new() { Timeout = 120_000 });
        await Expect(report.Locator("#report-frame")).ToBeVisibleAsync();
        Assert.Equal("succeeded", (string?)(await GetJobAsync(id))["stages"]!.AsArray().Single(s => (int)s!["stage"]! == 6)!["status"]);
        Assert.Empty(app.PageErrors);
    }

    [Fact]
    public async Task Rerun_of_stale_stages_runs_them_again()
    {
        var id = await app.CreateResearchJobAsync();
        await app.WaitForJobAsync(id, "succeeded");
        var edit = (await app.Http.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/stages/2"))!["content"]!.AsObject();
        edit["price_justification"] = "Clients recover the fee within one promotion cycle, by their own numbers.";
        (await app.Http.PutAsJsonAsync($"/api/jobs/{id}/stages/2", edit)).EnsureSuccessStatusCode();
        var stale = StaleStages(await GetJobAsync(id));
        Assert.NotEmpty(stale);

        var page = await app.NewPageAsync();
        await page.GotoAsync($"/job.html?id={id}");
        await Expect(page.Locator(".stage:has(.badge.stale)")).ToHaveCountAsync(stale.Count);
        await Expect(page.Locator("#rerun")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("job-stale"), FullPage = true });

        // Slow models, so that the stages are seen running again before they succeed.
        await app.SlowModelsAsync(TimeSpan.FromSeconds(2));
        await page.ClickAsync("#rerun");

        await Expect(page.Locator($".stage[data-stage='{stale[0]}']")).Not.ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.Locator("#rerun")).ToBeHiddenAsync();
        await Expect(page.Locator(".stage[data-status=succeeded]")).ToHaveCountAsync(6, Slow);
        await Expect(page.Locator("#job-summary")).ToContainTextAsync("Status: succeeded");
        await Expect(page.Locator(".badge.stale")).ToHaveCountAsync(0);
        await Expect(page.Locator(".stage")).ToHaveCountAsync(6);

        var job = await GetJobAsync(id);
        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Empty(StaleStages(job));
        // Their input changed, so the stale stages called a model again rather than the cache.
        Assert.All(job["stages"]!.AsArray().Where(s => stale.Contains((int)s!["stage"]!)), s => Assert.False((bool)s!["cached"]!));
        Assert.Empty(app.PageErrors);
    }

    [Fact]
    public async Task A_job_failed_by_a_provider_outage_is_retried_from_the_job_page_once_the_provider_is_back()
    {
        await app.FailModelsAsync();
        var id = await app.CreateResearchJobAsync();
        await app.WaitForJobAsync(id, "failed");
        await app.ResetModelsAsync();

        var page = await app.NewPageAsync();
        await page.GotoAsync($"/job.html?id={id}");
        await Expect(page.Locator("#job-summary")).ToContainTextAsync("Status: failed");
        await Expect(page.Locator(".stage[data-stage='1']")).ToHaveAttributeAsync("data-status", "failed");
        await Expect(page.Locator("#rerun")).ToHaveTextAsync("Retry failed stages");
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("job-failed"), FullPage = true });

        await page.ClickAsync("#rerun");

        await Expect(page.Locator(".stage[data-status=succeeded]")).ToHaveCountAsync(6, Slow);
        await Expect(page.Locator("#job-summary")).ToContainTextAsync("Status: succeeded");
        await Expect(page.Locator("#rerun")).ToBeHiddenAsync();
        var job = await GetJobAsync(id);
        Assert.Equal("succeeded", (string?)job["status"]);
        // Stage 1 keeps the failed attempts of the outage and adds the successful one.
        var attempts = job["stages"]!.AsArray().First(s => (int)s!["stage"]! == 1)!["attempts"]!.AsArray();
        Assert.Contains(attempts, a => (string?)a!["outcome"] == "succeeded");
        Assert.Empty(app.PageErrors);
    }

    [Fact]
    public async Task The_job_page_keeps_following_after_its_event_stream_fails_and_drops()
    {
        // Every model call takes 1.5 s: the research job (six stages in a row) outlives both connection failures.
        await app.SlowModelsAsync(TimeSpan.FromSeconds(1.5));
        var page = await app.NewPageAsync();
        var failed = 0;
        await page.RouteAsync("**/api/jobs/*/events*", async route =>
        {
            if (Interlocked.Increment(ref failed) == 1)
            {
                // As during a Redis outage; after an HTTP error the browser's EventSource does not retry by itself.
                await route.FulfillAsync(new()
                {
                    Status = 503,
                    ContentType = "application/problem+json",
                    Body = """{"title":"The service is unavailable.","status":503}""",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        var id = await app.CreateResearchJobAsync();
        await page.GotoAsync($"/job.html?id={id}");

        // Progress shows although the first stream failed; then the open stream's connection drops mid-job.
        await Expect(page.Locator(".stage[data-stage='1']")).ToHaveAttributeAsync("data-status", "succeeded", SlowAttribute);
        await WaitUntilAsync(() => app.EventStreams.OpenCount > 0, "an open event stream");
        var beforeDrop = app.EventStreams.ResumedAfter.Count;
        app.EventStreams.DropAll();

        await Expect(page.Locator(".stage[data-status=succeeded]")).ToHaveCountAsync(6, Slow);
        await Expect(page.Locator("#job-summary")).ToContainTextAsync("Status: succeeded");
        await Expect(page.Locator(".stage")).ToHaveCountAsync(6);
        Assert.Equal("succeeded", (string?)(await GetJobAsync(id))["status"]);
        // The stream after the drop resumed after the last event the page had seen, not from the start.
        var resumed = app.EventStreams.ResumedAfter.Skip(beforeDrop).ToList();
        Assert.NotEmpty(resumed);
        Assert.All(resumed, after => Assert.False(string.IsNullOrEmpty(after) || after is "0" or "0-0", $"resumed after '{after}'"));
        Assert.Empty(app.PageErrors);
    }

    private async Task<JsonObject> GetJobAsync(string id) => (await app.Http.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}"))!;

    private static List<int> StaleStages(JsonObject job) =>
        job["stages"]!.AsArray().Where(s => (bool?)s!["stale"] == true).Select(s => (int)s!["stage"]!).Order().ToList();

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(100))
        {
            if (waited > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"Still waiting for {what}.");
            }
            await Task.Delay(100);
        }
    }
}
