using System.Net;
using MarketIntel.Api.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.Api.Tests;

public class PageSecurityHeadersTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Every_page_has_a_content_security_policy()
    {
        // Every page in the web root, so a new page cannot ship without the policy.
        var webRoot = factory.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        var pages = webRoot.GetDirectoryContents("").Where(f => f.Name.EndsWith(".html", StringComparison.Ordinal)).Select(f => "/" + f.Name).ToList();
        Assert.Contains("/report.html", pages);

        foreach (var path in pages.Prepend("/"))
        {
            var response = await _client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), $"{path} has no policy");
            var policy = Assert.Single(values);
            Assert.Equal(PageSecurityHeaders.PagePolicy, policy);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public void The_page_policy_allows_no_inline_code_plugins_base_or_framing()
    {
        var directives = PageSecurityHeaders.PagePolicy.Split(';', StringSplitOptions.TrimEntries);

        Assert.Contains("script-src 'self'", directives);
        Assert.Contains("style-src 'self'", directives);
        Assert.Contains("object-src 'none'", directives);
        Assert.Contains("base-uri 'none'", directives);
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.DoesNotContain("unsafe", PageSecurityHeaders.PagePolicy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_and_styles_are_not_sniffed()
    {
        foreach (var path in new[] { "/js/common.js", "/css/app.css" })
        {
            var response = await _client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }
}
