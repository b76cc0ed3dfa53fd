using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Api.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Tests;

public class AdminKeyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void The_api_does_not_start_without_an_admin_key(string key)
    {
        using var unkeyed = factory.WithWebHostBuilder(builder => builder.UseSetting("Admin:ApiKey", key));

        var error = Assert.ThrowsAny<Exception>(() => unkeyed.CreateClient());

        Assert.IsType<OptionsValidationException>(error.GetBaseException());
        Assert.Contains("Admin:ApiKey", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test-admin-key", true)]
    [InlineData("test-admin-kez", false)]
    [InlineData("test-admin-key ", false)]
    [InlineData("TEST-ADMIN-KEY", false)]
    [InlineData("test", false)]
    [InlineData("", false)]
    public void Keys_match_exactly(string provided, bool matches) =>
        Assert.Equal(matches, AdminKeyFilter.Matches(provided, ApiFactory.AdminKey));

    [Fact]
    public void An_empty_configured_key_matches_nothing() =>
        Assert.False(AdminKeyFilter.Matches("", ""));

    [Fact]
    public async Task The_openapi_document_lists_the_routing_routes()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = document!["paths"]!.AsObject();

        Assert.NotNull(paths["/api/routing"]!["get"]);
        Assert.NotNull(paths["/api/routing/stages/{stage}"]!["put"]);
        Assert.NotNull(paths["/api/routing/history"]!["get"]);
        Assert.NotNull(paths["/api/routing/rollback"]!["post"]);
        Assert.NotNull(paths["/api/routing/versions/{version}"]!["get"]);
    }
}
