using MarketIntel.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarketIntel.Api.Tests;

/// <summary>The api in-process against its own real Redis. No worker runs: queued jobs stay queued.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public const string AdminKey = "test-admin-key";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", Redis.ConnectionString);
        builder.UseSetting("Admin:ApiKey", AdminKey);
        builder.UseSetting("RateLimits:JobsPerMinute", "100000");
        builder.UseEnvironment("Testing");
    }

    public Task InitializeAsync() => Redis.InitializeAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.WhenAll(base.DisposeAsync().AsTask(), Redis.DisposeAsync());
}
