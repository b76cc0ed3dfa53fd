using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Http;

/// <summary>
/// Guards the admin routes with the <c>X-Api-Key</c> header: 401 without a key, 403 with a wrong one. The comparison
/// runs in constant time over SHA-256 digests of the UTF-8 bytes, so neither the content nor the length of the
/// configured key leaks through timing. The key is never logged.
/// </summary>
public sealed class AdminKeyFilter(IOptionsMonitor<AdminKeyOptions> options, ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>A longer header is not a key anyone configured; it is refused without hashing megabytes.</summary>
    private const int MaxKeyLength = 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var values = http.Request.Headers[HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            logger.LogInformation("Admin request to {Path} without an API key", http.Request.Path);
            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
            return TypedResults.Problem(
                $"This route needs the admin API key in the {HeaderName} header.",
                statusCode: StatusCodes.Status401Unauthorized, title: "API key required.");
        }
        if (values.Count > 1 || !Matches(values[0]!, options.CurrentValue.ApiKey))
        {
            logger.LogWarning("Admin request to {Path} with a wrong API key", http.Request.Path);
            return TypedResults.Problem(
                "The API key is not valid for this route.",
                statusCode: StatusCodes.Status403Forbidden, title: "Wrong API key.");
        }
        return await next(context);
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

public static class AdminKeyExtensions
{
    /// <summary>Registers the admin key options, validated on start.</summary>
    public static IServiceCollection AddAdminKey(this IServiceCollection services)
    {
        services.AddOptions<AdminKeyOptions>()
            .BindConfiguration(AdminKeyOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.ApiKey), "Admin:ApiKey must not be blank.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Every endpoint of <paramref name="group"/> needs the admin API key.</summary>
    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<AdminKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }
}
