using MarketIntel.Pipeline.Prompts;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.ModelEmulator;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Worker.Stages;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MarketIntel.Worker.Tests;

/// <summary>The model emulator in memory with a given seed and no simulated latency.</summary>
public sealed class EmulatorHost(int seed) : WebApplicationFactory<EmulatorEntryPoint>
{
    public const string Llama31 = "@cf/meta/llama-3.1-70b-instruct";
    public const string Llama33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
    public const string Mistral = "@cf/mistralai/mistral-small-3.1-24b-instruct";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Emulator:LatencyScale", "0");
        builder.UseSetting("Emulator:Seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The real OpenAI chat client, pointed at the emulator's Workers AI path through the in-memory server.</summary>
    public IChatClient ChatClient(string model) =>
        new OpenAIClient(new ApiKeyCredential("test-token"), new OpenAIClientOptions
        {
            Endpoint = new Uri(Server.BaseAddress, "/client/v4/accounts/test/ai/v1"),
            Transport = new HttpClientPipelineTransport(CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetChatClient(model).AsIChatClient();
}

/// <summary>The routing defaults of marketintel.defaults.json, read from the file the application ships.</summary>
internal static class RoutingDefaults
{
    private static readonly JsonObject Stages = (JsonObject)JsonNode.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "marketintel.defaults.json")))!["Routing"]!["Stages"]!;

    public static int MaxTokens(int stage) => Stages[stage.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["MaxTokens"]!.GetValue<int>();
}

/// <summary>One stage answered by the emulator and judged by the stage's own validator, as the worker does.</summary>
internal sealed record StageOutcome(IStage Stage, string Content, ValidationResult Validation, string? FinishReason)
{
    public string Describe() =>
        $"stage {Stage.Number} ({Stage.Name}): score {Validation.QualityScore}, finish {FinishReason}, {Content.Length} chars "
        + $"(~{(Content.Length + 3) / 4} of {RoutingDefaults.MaxTokens(Stage.Number)} tokens)\n"
        + string.Concat(Validation.Errors.Select(e => $"  error: {e}\n"))
        + string.Concat(Validation.Warnings.Select(w => $"  warning: {w}\n"));
}

/// <summary>Runs stages against the emulator through the real client, feeding each output to the stages that read it.</summary>
internal static class EmulatorPipeline
{
    public static readonly PromptOptions Condensed = new(SchemaInPrompt: false, FullResearchData: false);

    /// <summary>Every stage in <paramref name="stages"/>, in DAG order, each on the model <paramref name="modelFor"/> names.</summary>
    public static async Task<IReadOnlyList<StageOutcome>> RunAsync(
        EmulatorHost host, SampleProfile sample, IReadOnlyCollection<int> stages, Func<int, (string Model, PromptOptions Options)> modelFor,
        Dictionary<int, string>? outputs = null)
    {
        outputs ??= [];
        var finished = outputs.Keys.ToHashSet();
        var outcomes = new List<StageOutcome>();
        while (StageGraph.Ready(stages, finished, new HashSet<int>()) is [var next, ..])
        {
            var (model, options) = modelFor(next);
            var outcome = await RunStageAsync(host.ChatClient(model), StageCatalog.Get(next), new StageInput(sample.Profile, sample.Preferences, outputs), options);
            outcomes.Add(outcome);
            if (!outcome.Validation.IsValid)
            {
                break; // an invalid output cannot feed the stages that read it
            }
            outputs[next] = outcome.Content;
            finished.Add(next);
        }
        return outcomes;
    }

    public static async Task<StageOutcome> RunStageAsync(IChatClient client, IStage stage, StageInput input, PromptOptions options)
    {
        var prompt = stage.BuildPrompt(input, options);
        var chatOptions = new ChatOptions
        {
            MaxOutputTokens = RoutingDefaults.MaxTokens(stage.Number),
            Temperature = 0.1f,
            ResponseFormat = stage.OutputKind == StageOutputKind.Json
                ? options.SchemaInPrompt
                    ? ChatResponseFormat.Json
                    : ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(prompt.ResponseSchema), prompt.SchemaName)
                : null,
        };
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, prompt.System), new ChatMessage(ChatRole.User, prompt.User)], chatOptions);
        var (content, validation) = ModelAnswer.ParseAndValidate(stage, input, response.Text ?? "", response.FinishReason);
        return new StageOutcome(stage, content, validation, response.FinishReason?.Value);
    }

    /// <summary>The share of a stage's output budget an answer may use: a good answer leaves room to spare.</summary>
    public const double BudgetShare = 0.9;

    /// <summary>
    /// Fails with every stage's findings at once unless every stage is valid, warning-free, scores 100 and stays well
    /// inside its output budget (tokens counted as the emulator counts them, four characters each).
    /// </summary>
    public static void AssertPerfect(IReadOnlyList<StageOutcome> outcomes, string what)
    {
        var bad = outcomes.Where(o => !o.Validation.IsValid || o.Validation.Warnings.Count > 0 || o.Validation.QualityScore != 100
            || (o.Content.Length + 3) / 4 > RoutingDefaults.MaxTokens(o.Stage.Number) * BudgetShare).ToList();
        Assert.True(bad.Count == 0, $"{what}: {bad.Count} of {outcomes.Count} stages fell short\n{string.Concat(bad.Select(o => o.Describe()))}");
    }
}
