using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Http;

public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Jobs one client (IP address) may submit per minute; every job costs model calls.</summary>
    [Range(1, 100_000)]
    public int JobsPerMinute { get; init; } = 20;
}

/// <summary>Per-client limits; a rejected request gets 429 problem details with Retry-After.</summary>
public static class ApiRateLimits
{
    public const string JobSubmissionPolicy = "job-submission";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(JobSubmissionPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.JobsPerMinute;
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many jobs submitted.",
                        Detail = $"Try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.",
                    },
                });
            };
        });
        return services;
    }
}
