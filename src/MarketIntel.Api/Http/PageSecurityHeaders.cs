using Microsoft.AspNetCore.StaticFiles;

namespace MarketIntel.Api.Http;

/// <summary>
/// Security headers of the web UI's static files. The pages run only their own script and style files (nothing inline),
/// so the policy needs no 'unsafe-inline'; the one frame they show is the api's own sandboxed report HTML, which carries
/// a stricter policy of its own.
/// </summary>
public static class PageSecurityHeaders
{
    public const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(StaticFileResponseContext context)
    {
        var headers = context.Context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Job ids travel in page URLs; other sites (e.g. the dashboard link) need not learn them.
        headers["Referrer-Policy"] = "same-origin";
        if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentSecurityPolicy = PagePolicy;
        }
    }
}
