using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.Api.Tests;

/// <summary>
/// Puts jobs into the states a worker would leave them in, straight through <see cref="JobStore"/> (no worker runs in
/// these tests): stage outputs generated from each stage's own schema, stage states, job status.
/// </summary>
internal sealed class JobSeeding(ApiFactory factory, HttpClient client)
{
    public JobStore Store => factory.Services.GetRequiredService<JobStore>();

    public const string Report = """
        # Market Intelligence Report: Ashley Shaw Consulting

        ## Executive Summary

        Senior women engineers want the director title they already earn.

        ## Market Analysis

        ### Market Size

        | Year | Size |
        |------|------|
        | 2024 | $1.2B |
        | 2025 | $1.4B |

        ## Buyer Psychology

        > "I'm doing the job but not getting the title"
        """;

    /// <summary>Creates a research job through the API; it stays queued.</summary>
    public async Task<string> CreateResearchJobAsync()
    {
        var response = await client.PostAsJsonAsync("/api/jobs", Samples.ResearchRequest());
        response.EnsureSuccessStatusCode();
        return response.Headers.Location!.ToString().Split('/')[^1];
    }

    /// <summary>A research job whose stages 1-5 (and, with a report, 6) succeeded with valid outputs, then the job.</summary>
    public async Task<string> CreateFinishedResearchJobAsync(string? report = Report, JobStatus status = JobStatus.Succeeded)
    {
        var id = await CreateResearchJobAsync();
        await Store.SetStatusAsync(id, JobStatus.Running);
        for (var stage = 1; stage <= 5; stage++)
        {
            await SucceedAsync(id, stage, StageOutputs.Valid(stage).ToJsonString());
        }
        if (report is not null)
        {
            await SucceedAsync(id, 6, report);
        }
        await Store.SetStatusAsync(id, status, status == JobStatus.Failed ? "Stage 6 failed." : null);
        return id;
    }

    public async Task SucceedAsync(string id, int stage, string content)
    {
        await Store.SetStageAsync(id, new StageState { Stage = stage, Name = StageCatalog.Get(stage).Name, Status = StageStatus.Running, Model = "test-model" });
        await Store.AppendOutputAsync(id, stage, version => new StageOutputVersion
        {
            Version = version,
            Source = OutputSource.Model,
            CreatedAt = Store.Time.GetUtcNow(),
            Content = content,
            Validation = new ValidationResult(stage, StageCatalog.Get(stage).Name, [], [], 100, new ValidationMetrics(1, 0, 0, content.Length)),
            Model = "test-model",
        });
        await Store.SetStageAsync(id, new StageState
        {
            Stage = stage,
            Name = StageCatalog.Get(stage).Name,
            Status = StageStatus.Succeeded,
            Model = "test-model",
            QualityScore = 100,
        });
    }
}

/// <summary>
/// Valid research outputs built by walking each stage's response schema (fewest items, lowest numbers, first enum
/// value, distinct concrete strings), plus the few values its content rules need that a schema cannot express.
/// </summary>
internal static class StageOutputs
{
    public static JsonObject Valid(int stage)
    {
        var counter = 0;
        var instance = (JsonObject)Create(StageCatalog.Get(stage).ResponseSchema!, "output", ref counter)!;
        switch (stage)
        {
            case 4:
                string[] urls = ["https://www.reddit.com/r/ExperiencedDevs/", "https://www.reddit.com/r/cscareerquestions/", "https://www.linkedin.com/groups/1"];
                var communities = instance["online_communities"]!.AsArray();
                for (var i = 0; i < communities.Count; i++)
                {
                    communities[i]!["url"] = urls[i % urls.Length];
                }
                break;
            case 5:
                decimal[] prices = [12_000, 25_000, 45_000];
                var tiers = instance["pricing_tiers"]!.AsArray();
                for (var i = 0; i < tiers.Count; i++)
                {
                    tiers[i]!["tier_number"] = i + 1;
                    tiers[i]!["price"] = prices[i];
                    tiers[i]!["is_recommended"] = i == 1;
                }
                // The plans are computed from tier 2's price, as the stage's prompt fixes them.
                var plans = instance["payment_plans"]!.AsArray();
                var terms = MarketIntel.Pipeline.Consistency.OfferPricing.Plans(prices[1]);
                for (var i = 0; i < plans.Count; i++)
                {
                    plans[i]!["structure"] = terms[i].Structure;
                    plans[i]!["total_cost"] = terms[i].Total;
                }
                string[] types = ["pain-based", "desire-based", "curiosity"];
                var messages = instance["marketing_messages"]!.AsArray();
                for (var i = 0; i < messages.Count; i++)
                {
                    messages[i]!["type"] = types[i / 5];
                }
                break;
        }
        return instance;
    }

    private static JsonNode? Create(JsonObject schema, string name, ref int counter)
    {
        if (schema["enum"] is JsonArray values)
        {
            return values[0]!.DeepClone();
        }
        switch (TypeOf(schema))
        {
            case "object":
                var required = schema["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
                var result = new JsonObject();
                foreach (var (property, propertySchema) in schema["properties"]?.AsObject() ?? [])
                {
                    if (required.Contains(property))
                    {
                        result[property] = Create(propertySchema!.AsObject(), property, ref counter);
                    }
                }
                return result;
            case "array":
                var items = new JsonArray();
                for (var i = 0; i < ((int?)schema["minItems"] ?? 1); i++)
                {
                    items.Add(Create(schema["items"]!.AsObject(), name, ref counter));
                }
                return items;
            case "string":
                return $"Concrete {name.Replace('_', ' ')} detail {++counter}";
            case "integer" or "number":
                return JsonValue.Create((double?)schema["minimum"] ?? 1);
            case "boolean":
                return false;
            default:
                throw new NotSupportedException(schema.ToJsonString());
        }
    }

    private static string TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).First(t => t != "null"),
        JsonValue type => type.GetValue<string>(),
        _ => "object",
    };
}
