using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Api.Http;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Jobs;

public static partial class JobsApi
{
    private const int ReportStage = 6;

    private static IEndpointRouteBuilder MapJobReport(this IEndpointRouteBuilder jobs)
    {
        jobs.MapGet("/{id}/report", GetReportAsync)
            .WithName("GetJobReport")
            .WithSummary("The report as Markdown (default), a standalone sanitised HTML document, or the whole result as JSON")
            .WithDescription("format=md|html|json; download=true adds Content-Disposition: attachment with a file name " +
                "from the business name. json holds the job view and every stage's latest output.")
            .Produces<string>(StatusCodes.Status200OK, "text/markdown", "text/html", "application/json");
        return jobs;
    }

    private static async Task<Results<ContentHttpResult, FileContentHttpResult, ProblemHttpResult>> GetReportAsync(
        string id, string? format, bool? download, JobStore store, IOptions<JsonOptions> jsonOptions, HttpResponse response)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        var kind = (format ?? "md").ToLowerInvariant();
        if (kind is not ("md" or "html" or "json"))
        {
            return JsonBody.Problem("format", "must be md, html or json.");
        }

        string content;
        string contentType;
        if (kind == "json")
        {
            content = await ResultJsonAsync(job, store, jsonOptions.Value.SerializerOptions);
            contentType = "application/json; charset=utf-8";
        }
        else
        {
            var report = job.Record.Stages.Contains(ReportStage) ? await store.GetLatestOutputAsync(id, ReportStage) : null;
            if (report is null)
            {
                return TypedResults.Problem(job.Record.Stages.Contains(ReportStage)
                        ? $"Job {id} has no report yet (stage {ReportStage})."
                        : $"Job {id} is an offer job; its report is part of the research job. Use format=json for the offer.",
                    statusCode: StatusCodes.Status404NotFound, title: "No report.");
            }
            if (kind == "md")
            {
                content = report.Content;
                contentType = "text/markdown; charset=utf-8";
            }
            else
            {
                content = ReportRenderer.ToHtml(report.Content, $"Market intelligence report: {job.Record.Profile.BusinessName}");
                contentType = "text/html; charset=utf-8";
                // Defence in depth: even if something slipped through the sanitiser, the browser runs no script, also
                // when the report is opened on its own (sandbox). The report page frames it, nothing else may.
                response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; sandbox; frame-ancestors 'self'";
                response.Headers.XContentTypeOptions = "nosniff";
            }
        }

        if (download == true)
        {
            var name = $"market-intelligence-{Slug(job.Record.Profile.BusinessName)}.{kind}";
            return TypedResults.File(Encoding.UTF8.GetBytes(content), contentType, name);
        }
        return TypedResults.Text(content, contentType, Encoding.UTF8);
    }

    /// <summary>{ job: the job view, stages: { "n": parsed JSON output, or the report's Markdown } } with latest versions.</summary>
    private static async Task<string> ResultJsonAsync(JobSnapshot job, JobStore store, JsonSerializerOptions options)
    {
        var stages = new JsonObject();
        foreach (var number in job.Record.Stages)
        {
            if (await store.GetLatestOutputAsync(job.Record.Id, number) is not { } output)
            {
                continue;
            }
            stages[number.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                StageCatalog.Get(number).OutputKind == StageOutputKind.Json ? JsonNode.Parse(output.Content) : JsonValue.Create(output.Content);
        }
        var result = new JsonObject
        {
            ["job"] = JsonSerializer.SerializeToNode(JobView.From(job), options),
            ["stages"] = stages,
        };
        return result.ToJsonString(options);
    }

    /// <summary>"Ashley Shaw Consulting, LLC" → "ashley-shaw-consulting-llc": ASCII letters and digits only, anything else
    /// a separator (accents are not folded: the app runs with invariant globalization).</summary>
    internal static string Slug(string? name)
    {
        var slug = new StringBuilder();
        foreach (var c in (name ?? "").ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var result = slug.ToString().Trim('-');
        if (result.Length > 60)
        {
            result = result[..60].TrimEnd('-');
        }
        return result.Length == 0 ? "report" : result;
    }
}
