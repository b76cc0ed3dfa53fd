using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketIntel.Web.Tests;

/// <summary>The whole user journey in Chromium against the api, a real worker and the model emulator.</summary>
public sealed class UserFlowTests(RunningApp app) : IClassFixture<RunningApp>
{
    private static readonly LocatorAssertionsToHaveCountOptions Slow = new() { Timeout = 120_000 };

    [Fact]
    public async Task Research_report_edit_offer_and_exports_work_end_to_end()
    {
        var page = await app.NewPageAsync();

        // New research: fill with a sample, step through with Next, submit.
        await page.GotoAsync("/");
        await Expect(page.Locator("#sample option[value='wealth-executive-coaching']")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#sample", "wealth-executive-coaching");
        await page.ClickAsync("#fill-sample");
        await Expect(page.Locator("#profile-business_name")).ToHaveValueAsync("Ashley Shaw Consulting");
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("research-form"), FullPage = true });
        await page.ClickAsync("#next");
        await Expect(page.Locator("#step-label")).ToContainTextAsync("Step 2 of 3");
        await page.ClickAsync("#next");
        await Expect(page.Locator("#step-label")).ToContainTextAsync("Step 3 of 3");
        await page.ClickAsync("#submit");

        // Job page: live progress until every research stage succeeded.
        await page.WaitForURLAsync("**/job.html?id=*");
        var id = new Uri(page.Url).Query.Split('=')[1];
        try
        {
            await Expect(page.Locator(".stage[data-status=succeeded]")).ToHaveCountAsync(6, Slow);
        }
        catch (PlaywrightException e)
        {
            await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("job-failed"), FullPage = true });
            throw new Xunit.Sdk.XunitException($"{e.Message}\nPage: {await page.Locator("main").InnerTextAsync()}\nApi: {await app.Http.GetStringAsync($"/api/jobs/{id}")}");
        }
        await Expect(page.Locator("#job-summary")).ToContainTextAsync("succeeded");
        await Expect(page.Locator("#cancel")).ToBeHiddenAsync();
        await Expect(page.Locator(".stage[data-stage='1'] dd").First).Not.ToHaveTextAsync("—");
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("job"), FullPage = true });

        // Reload keeps the state (GET job + SSE replay).
        await page.ReloadAsync();
        await Expect(page.Locator(".stage[data-status=succeeded]")).ToHaveCountAsync(6);

        // Report: sanitised HTML with its table of contents in the sandboxed frame, downloads.
        await page.ClickAsync("text=Read the report");
        await page.WaitForURLAsync("**/report.html?id=*");
        await Expect(page.Locator("#report-title")).ToContainTextAsync("Ashley Shaw Consulting");
        var frame = page.FrameLocator("#report-frame");
        var contents = frame.Locator("nav.toc a");
        await Expect(contents.First).ToBeVisibleAsync();
        Assert.True(await contents.CountAsync() >= 8);
        Assert.Equal("", await page.Locator("#report-frame").GetAttributeAsync("sandbox"));
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("report") });

        // A contents entry scrolls the frame to its section; neither the frame nor the page navigates elsewhere.
        var reportUrl = page.Url;
        var entry = contents.Last;
        var section = frame.Locator($"[id='{(await entry.GetAttributeAsync("href"))![1..]}']");
        await Expect(section).Not.ToBeInViewportAsync();
        await entry.ClickAsync();
        await Expect(section).ToBeInViewportAsync();
        await Expect(frame.Locator("h1")).ToContainTextAsync("Ashley Shaw Consulting");
        Assert.Equal(reportUrl, page.Url);
        var markdown = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#dl-md"));
        Assert.Equal("market-intelligence-ashley-shaw-consulting.md", markdown.SuggestedFilename);
        var html = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#dl-html"));
        Assert.Equal("market-intelligence-ashley-shaw-consulting.html", html.SuggestedFilename);

        // Editor: change a stage 2 field, see it marked, save as a new version.
        await page.GotoAsync($"/edit.html?id={id}&stage=2");
        var field = page.Locator("[data-field='price_justification']");
        var control = field.Locator("textarea, input").First;
        await Expect(control).Not.ToHaveValueAsync("");
        await Expect(field.Locator(".badge.modified")).ToBeHiddenAsync();
        var edited = await control.InputValueAsync() + " Clients typically recover the $12,000 fee within one promotion cycle.";
        await control.FillAsync(edited);
        await Expect(field.Locator(".badge.modified")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("editor") });
        await page.ClickAsync("#save");
        await Expect(page.Locator("#page-status")).ToContainTextAsync("Saved as version 2");
        await Expect(page.Locator("#version-info")).ToContainTextAsync("version 2 of 2 (edited)");
        await Expect(page.Locator("[data-field='price_justification'] .badge.modified")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("[data-field='price_justification']").Locator("textarea, input").First).ToHaveValueAsync(edited);

        // Offer: preferences form, then the offer cards as the stages succeed.
        await page.GotoAsync($"/offer.html?research={id}");
        await page.ClickAsync("#fill-prefs");
        await page.ClickAsync("#generate");
        await page.WaitForURLAsync("**/offer.html?research=*&job=*");
        await Expect(page.Locator("#offer-cards .card")).ToHaveCountAsync(7, Slow);
        await Expect(page.Locator(".card[data-stage='7'] .option.recommended")).ToHaveCountAsync(1);
        await Expect(page.Locator(".card[data-stage='8'] .total-value")).ToContainTextAsync("$");
        await Expect(page.Locator(".card[data-stage='9'] .price")).ToContainTextAsync("$");
        await Expect(page.Locator(".card[data-stage='12'] .option")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("offer"), FullPage = true });
        var offerJson = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("text=Download the offer (JSON)"));
        Assert.Equal("strategic-offer-ashley-shaw-consulting.json", offerJson.SuggestedFilename);

        // History lists both jobs.
        await page.GotoAsync("/history.html");
        await Expect(page.Locator("#jobs tbody tr[data-job]")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = WebApp.ScreenshotPath("history") });

        Assert.Empty(app.PageErrors);
    }
}
