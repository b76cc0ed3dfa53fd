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
            .WithSummary("The report and the offer as Markdown (default), a standalone sanitised HTML document, or the whole result as JSON")
            .WithDescription("format=md|html|json; download=true adds Content-Disposition: attachment with a file name " +
                "from the business name. md and html hold the report (stage 6) and, for full and offer jobs, the offer " +
                "(stages 7-13) as a second part, under a \"Generated on ... for ...\" line and a note that market figures " +
                "are the model's estimates. json holds the same line and note, the job view and every stage's latest output.")
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

        var outputs = new SortedDictionary<int, StageOutputVersion>();
        foreach (var number in job.Record.Stages)
        {
            if (await store.GetLatestOutputAsync(id, number) is { } output)
            {
                outputs[number] = output;
            }
        }
        var business = job.Record.Profile.BusinessName;
        var offerOnly = !job.Record.Stages.Contains(ReportStage);

        string content;
        string contentType;
        if (kind == "json")
        {
            content = ResultJson(job, outputs, jsonOptions.Value.SerializerOptions);
            contentType = "application/json; charset=utf-8";
        }
        else
        {
            var offer = outputs.Where(o => o.Key >= StageCatalog.FirstOfferStage).Select(o => (o.Key, o.Value.Content)).ToList();
            var document = ReportExport.Compose(outputs.GetValueOrDefault(ReportStage)?.Content, offer, business, Generated(job, outputs));
            if (document is null)
            {
                return TypedResults.Problem($"Job {id} has no {(offerOnly ? "offer" : "report")} yet.",
                    statusCode: StatusCodes.Status404NotFound, title: offerOnly ? "No offer." : "No report.");
            }
            if (kind == "md")
            {
                content = document;
                contentType = "text/markdown; charset=utf-8";
            }
            else
            {
                content = ReportRenderer.ToHtml(document, offerOnly ? $"Strategic offer: {business}" : $"Market intelligence report: {business}");
                contentType = "text/html; charset=utf-8";
                // Defence in depth: even if something slipped through the sanitiser, the browser runs no script, also
                // when the report is opened on its own (sandbox). The report page frames it, nothing else may.
                response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; sandbox; frame-ancestors 'self'";
                response.Headers.XContentTypeOptions = "nosniff";
            }
        }

        if (download == true)
        {
            var name = $"{(offerOnly ? "strategic-offer" : "market-intelligence")}-{Slug(business)}.{kind}";
            return TypedResults.File(Encoding.UTF8.GetBytes(content), contentType, name);
        }
        return TypedResults.Text(content, contentType, Encoding.UTF8);
    }

    /// <summary>When the exported content was generated: its newest output (an edit counts), or the job's creation
    /// when nothing is stored yet.</summary>
    private static DateTimeOffset Generated(JobSnapshot job, IReadOnlyDictionary<int, StageOutputVersion> outputs) =>
        outputs.Values.Select(o => o.CreatedAt).DefaultIfEmpty(job.Record.CreatedAt).Max();

    /// <summary>{ job: the job view, generated: { on, for }, note, stages: { "n": parsed JSON output, or the report's
    /// Markdown } } with latest versions.</summary>
    private static string ResultJson(JobSnapshot job, IReadOnlyDictionary<int, StageOutputVersion> outputs, JsonSerializerOptions options)
    {
        var stages = new JsonObject();
        foreach (var (number, output) in outputs)
        {
            stages[number.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                StageCatalog.Get(number).OutputKind == StageOutputKind.Json ? JsonNode.Parse(output.Content) : JsonValue.Create(output.Content);
        }
        var generated = Generated(job, outputs);
        var result = new JsonObject
        {
            ["job"] = JsonSerializer.SerializeToNode(JobView.From(job), options),
            ["generated"] = new JsonObject
            {
                ["on"] = generated.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["for"] = job.Record.Profile.BusinessName,
                ["line"] = ReportExport.GeneratedLine(generated, job.Record.Profile.BusinessName),
            },
            ["note"] = ReportExport.Note,
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
