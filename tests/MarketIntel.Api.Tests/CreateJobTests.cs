using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Storage;
using StackExchange.Redis;

namespace MarketIntel.Api.Tests;

public class CreateJobTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_valid_profile_is_accepted_stored_and_queued()
    {
        var response = await _client.PostAsJsonAsync("/api/jobs", Samples.ResearchRequest());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^/api/jobs/[0-9a-f]{32}$", location);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("queued", body!["status"]!.GetValue<string>());
        Assert.Equal(6, body["stages"]!.AsArray().Count);

        var id = location.Split('/')[^1];
        var queue = await factory.Redis.Connection!.GetDatabase().StreamRangeAsync(RedisKeys.JobQueue);
        Assert.Contains(queue, e => e["job"] == id);

        var read = await _client.GetFromJsonAsync<JsonObject>(location);
        Assert.Equal(id, read!["id"]!.GetValue<string>());
        Assert.Equal("research", read["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_body_is_a_400_problem()
    {
        var response = await _client.PostAsync("/api/jobs", new StringContent("", Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest, "body");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"kind\": research}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    [InlineData("\"just a string\"")]
    public async Task Invalid_json_is_a_400_problem(string body)
    {
        var response = await _client.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        var response = await _client.PostAsync("/api/jobs", new StringContent("kind=research", Encoding.UTF8, "text/plain"));

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_problem()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"kind\": \"research\", \"profile\": {\"business_name\": \"").Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat(Encoding.UTF8.GetBytes("\"}}")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        var response = await _client.PostAsync("/api/jobs", content);

        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    public static TheoryData<string> RequiredProfileFields() =>
    [
        "business_name", "current_offer_description", "niche", "business_stage", "revenue_range", "preferred_market_category",
        "target_market_hypothesis", "target_demographics", "target_psychographics", "biggest_customer_pain_point",
        "service_type", "delivery_format", "price_point_current", "offer_duration", "unique_mechanism",
    ];

    [Theory]
    [MemberData(nameof(RequiredProfileFields))]
    public async Task Each_missing_required_field_is_named(string field)
    {
        var request = Samples.ResearchRequest();
        request["profile"]!.AsObject().Remove(field);

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest, $"profile.{field}");
        Assert.Single(errors);
    }

    [Fact]
    public async Task All_missing_fields_are_reported_together()
    {
        var response = await _client.PostAsJsonAsync("/api/jobs", new JsonObject { ["kind"] = "research", ["profile"] = new JsonObject() });

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(RequiredProfileFields().Count, errors.Count);
    }

    [Theory]
    [InlineData("business_stage", "established")]
    [InlineData("revenue_range", "100k-250k")]
    [InlineData("preferred_market_category", "finance")]
    [InlineData("service_type", "course")]
    [InlineData("delivery_format", "1-on-1")]
    public async Task An_off_enum_value_is_named_with_the_allowed_values(string field, string value)
    {
        var request = Samples.ResearchRequest();
        request["profile"]![field] = value;

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest, $"profile.{field}");
        Assert.Contains("one of", errors[$"profile.{field}"][0]);
    }

    [Theory]
    [InlineData("business_name", "42")]
    [InlineData("niche", "true")]
    [InlineData("target_demographics", "{\"a\": 1}")]
    [InlineData("niche", "[\"x\"]")]
    public async Task A_wrong_type_is_named(string field, string json)
    {
        var request = Samples.ResearchRequest();
        request["profile"]![field] = JsonNode.Parse(json);

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        await AssertProblem(response, HttpStatusCode.BadRequest, $"profile.{field}");
    }

    [Fact]
    public async Task A_one_megabyte_string_is_a_400_naming_the_field()
    {
        var request = Samples.ResearchRequest();
        request["profile"]!["niche"] = new string('x', 1024 * 1024);

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest, "profile.niche");
        Assert.Contains("at most", errors["profile.niche"][0]);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        var request = Samples.ResearchRequest();
        request["profile"]!["niche"] = new string('x', 3 * 1024 * 1024);

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_field_is_named()
    {
        var request = Samples.ResearchRequest();
        request["profile"]!["favourite_colour"] = "blue";

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        await AssertProblem(response, HttpStatusCode.BadRequest, "profile.favourite_colour");
    }

    [Fact]
    public async Task Deep_nesting_is_a_400_problem()
    {
        var json = "{\"kind\":\"research\",\"profile\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100) + "}";

        var response = await _client.PostAsync("/api/jobs", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("summary")]
    [InlineData("RESEARCH")]
    public async Task An_unknown_kind_is_named(string? kind)
    {
        var request = Samples.ResearchRequest();
        request["kind"] = kind;

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        await AssertProblem(response, HttpStatusCode.BadRequest, "kind");
    }

    [Fact]
    public async Task A_full_job_needs_valid_preferences()
    {
        var request = Samples.ResearchRequest();
        request["kind"] = "full";
        var preferences = Samples.Load()["preferences"]!.DeepClone().AsObject();
        preferences["pricing_strategy"] = "cheap";
        preferences["comfortable_price_range"] = new JsonObject { ["min"] = 5000, ["max"] = 100 };
        request["preferences"] = preferences;

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest, "preferences.pricing_strategy");
        Assert.True(errors.ContainsKey("preferences.comfortable_price_range.max"));
    }

    [Fact]
    public async Task An_offer_job_needs_a_finished_research_job()
    {
        var created = await _client.PostAsJsonAsync("/api/jobs", Samples.ResearchRequest());
        var researchId = created.Headers.Location!.ToString().Split('/')[^1];
        var request = new JsonObject
        {
            ["kind"] = "offer",
            ["researchJobId"] = researchId,
            ["preferences"] = Samples.Load()["preferences"]!.DeepClone(),
        };

        var response = await _client.PostAsJsonAsync("/api/jobs", request);

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest, "researchJobId");
        Assert.Contains("not finished", errors["researchJobId"][0]);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-a-job")]
    [InlineData("mi:job:*")]
    public async Task An_unknown_job_is_a_404_problem(string id)
    {
        var response = await _client.GetAsync($"/api/jobs/{Uri.EscapeDataString(id)}");

        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_stage_without_output_is_a_404_problem_and_a_stage_outside_the_job_too()
    {
        var created = await _client.PostAsJsonAsync("/api/jobs", Samples.ResearchRequest());
        var location = created.Headers.Location!.ToString();

        await AssertProblem(await _client.GetAsync($"{location}/stages/1"), HttpStatusCode.NotFound);
        await AssertProblem(await _client.GetAsync($"{location}/stages/9"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_jobs_api()
    {
        var document = await _client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");

        Assert.NotNull(document!["paths"]!["/api/jobs"]!["post"]);
        Assert.NotNull(document["paths"]!["/api/jobs/{id}"]);
    }

    /// <summary>Asserts an RFC 7807 problem with the status, and (optionally) an error for the field; returns the errors.</summary>
    internal static async Task<Dictionary<string, string[]>> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((int)status, problem!["status"]!.GetValue<int>());
        var errors = problem["errors"]?.Deserialize<Dictionary<string, string[]>>() ?? [];
        if (field is not null)
        {
            Assert.True(errors.ContainsKey(field), $"Expected an error for '{field}', got: {string.Join(", ", errors.Keys)}");
        }
        return errors;
    }
}
