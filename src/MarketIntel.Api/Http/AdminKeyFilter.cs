using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Http;

/// <summary>
/// Guards the admin routes with the <c>X-Api-Key</c> header and names the operator it belongs to: 401 without a key or
/// with a key that belongs to nobody. The provided key is hashed once (SHA-256 of the UTF-8 bytes) and compared in
/// constant time with every configured hash, so neither a key nor which operator it is close to leaks through timing.
/// The key is never logged; an unknown one is logged as an attempt, with the path only. The operator's name is what the
/// routing history records as the actor (<see cref="AdminOperator"/>).
/// </summary>
public sealed class AdminKeyFilter(IOptionsMonitor<AdminKeyOptions> options, ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private const string Challenge = $"ApiKey header=\"{HeaderName}\"";

    /// <summary>A longer header is not a key anyone configured; it is refused without hashing megabytes.</summary>
    private const int MaxKeyLength = 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var values = http.Request.Headers[HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            http.Response.Headers.WWWAuthenticate = Challenge;
            logger.LogInformation("Admin request to {Path} without an API key", http.Request.Path);
            return TypedResults.Problem(
                $"This route needs an operator's API key in the {HeaderName} header.",
                statusCode: StatusCodes.Status401Unauthorized, title: "API key required.");
        }
        if (values.Count > 1 || Identify(values[0]!, options.CurrentValue) is not { } name)
        {
            http.Response.Headers.WWWAuthenticate = Challenge;
            logger.LogWarning("Admin request to {Path} with an unknown API key", http.Request.Path);
            return TypedResults.Problem(
                "The API key belongs to no operator.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unknown API key.");
        }
        AdminOperator.Set(http, name);
        return await next(context);
    }

    /// <summary>The operator whose key <paramref name="provided"/> is, or null.</summary>
    internal static string? Identify(string provided, AdminKeyOptions configured)
    {
        if (provided.Length > MaxKeyLength)
        {
            return null;
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(provided), digest);
        string? found = null;
        // Every hash is compared, whether or not one matched already: the time taken says nothing about the key.
        foreach (var (name, hash) in configured.Operators)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, Convert.FromHexString(hash.AsSpan(AdminKeyOptions.HashPrefix.Length))))
            {
                found ??= name;
            }
        }
        if (Matches(provided, configured.ApiKey))
        {
            found ??= AdminKeyOptions.LegacyOperator;
        }
        return found;
    }

    internal static bool Matches(string provided, string expected)
    {
        if (expected.Length == 0 || provided.Length > MaxKeyLength)
        {
            return false;
        }
        Span<byte> left = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> right = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(provided), left);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }
}

/// <summary>The operator an admin request was authenticated as; set by <see cref="AdminKeyFilter"/>.</summary>
public static class AdminOperator
{
    private const string ItemKey = "marketintel.operator";

    internal static void Set(HttpContext http, string name) => http.Items[ItemKey] = name;

    /// <summary>The operator's name. Only admin routes call this, and the filter runs before them.</summary>
    public static string Name(HttpContext http) =>
        http.Items[ItemKey] as string ?? throw new InvalidOperationException("No operator: the route is missing the admin key filter.");
}

public static class AdminKeyExtensions
{
    /// <summary>Registers the admin key options, validated on start.</summary>
    public static IServiceCollection AddAdminKey(this IServiceCollection services)
    {
        services.AddOptions<AdminKeyOptions>()
            .BindConfiguration(AdminKeyOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminKeyOptions>, AdminKeyValidation>();
        return services;
    }

    /// <summary>Every group's endpoints need an operator's API key.</summary>
    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<AdminKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return group;
    }

    /// <summary>Reports each problem of the configuration by name, so the start-up error says what to fix.</summary>
    private sealed class AdminKeyValidation : IValidateOptions<AdminKeyOptions>
    {
        public ValidateOptionsResult Validate(string? name, AdminKeyOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
