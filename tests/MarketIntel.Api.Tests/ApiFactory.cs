using MarketIntel.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarketIntel.Api.Tests;

/// <summary>The api in-process against its own real Redis. No worker runs: queued jobs stay queued.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    /// <summary>The single key of earlier versions: the operator "admin".</summary>
    public const string AdminKey = "test-admin-key";

    /// <summary>Named operators, configured by the hash of their key as in production.</summary>
    public static readonly string[] Operators = ["alice", "carol", "dave"];

    /// <summary>False: only the single key of earlier versions is configured.</summary>
    public bool NamedOperators { get; init; } = true;

    public static string OperatorKey(string name) => $"{name}-key-0123";

    /// <summary>The configuration form of a key: what <c>printf %s KEY | sha256sum</c> prints, after <c>sha256:</c>.</summary>
    public static string Hash(string key) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", Redis.ConnectionString);
        builder.UseSetting("Admin:ApiKey", AdminKey);
        foreach (var name in NamedOperators ? Operators : [])
        {
            builder.UseSetting($"Admin:Operators:{name}", Hash(OperatorKey(name)));
        }
        builder.UseSetting("RateLimits:JobsPerMinute", "100000");
        builder.UseEnvironment("Testing");
    }

    public Task InitializeAsync() => Redis.InitializeAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.WhenAll(base.DisposeAsync().AsTask(), Redis.DisposeAsync());
}
