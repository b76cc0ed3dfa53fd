using System.ComponentModel;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MarketIntel.Cli;

public sealed class EvalRunSettings : CommandSettings
{
    [CommandOption("--api <URL>")]
    [Description("Base URL of the MarketIntel API, e.g. http://localhost:5080.")]
    public string Api { get; init; } = "";

    [CommandOption("--routing <FILE|active>")]
    [Description("\"active\" (the active routing's stable models: a baseline) or a routing document file shaped like GET /api/routing.")]
    public string Routing { get; init; } = "active";

    [CommandOption("--trials <N>")]
    [Description("Trials per sample, 1-20 (default 1).")]
    public int Trials { get; init; } = 1;

    [CommandOption("--samples <IDS>")]
    [Description("Comma-separated sample ids; default the whole suite.")]
    public string? Samples { get; init; }

    [CommandOption("--phase <N>")]
    [Description("The rollout phase this candidate implements; names the file phase-<N>-<date>.json.")]
    public int? Phase { get; init; }

    [CommandOption("--kind <baseline|candidate>")]
    [Description("Default: baseline for --routing active, candidate for a file.")]
    public string? Kind { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Directory for the result JSON and its Markdown and HTML report (default: current directory).")]
    public string Out { get; init; } = ".";

    [CommandOption("--api-key <KEY>")]
    [Description("Admin API key (X-Api-Key); default from the MARKETINTEL_API_KEY environment variable.")]
    public string? ApiKey { get; init; }

    [CommandOption("--baseline <FILE>")]
    [Description("Also compare the new result with this baseline file; the exit code is then the verdict.")]
    public string? Baseline { get; init; }

    [CommandOption("--timeout <MINUTES>")]
    [Description("Give up waiting after this many minutes (default 120).")]
    public int TimeoutMinutes { get; init; } = 120;

    public override ValidationResult Validate() =>
        !Uri.TryCreate(Api, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ? ValidationResult.Error("--api must be an http(s) URL.")
        : Trials is < 1 or > 20 ? ValidationResult.Error("--trials must be from 1 to 20.")
        : Kind is not (null or "baseline" or "candidate") ? ValidationResult.Error("--kind must be baseline or candidate.")
        : TimeoutMinutes < 1 ? ValidationResult.Error("--timeout must be at least 1 minute.")
        : ValidationResult.Success();
}

/// <summary>
/// <c>eval run</c>: a thin client of <c>POST /api/evaluations</c>. Submits, follows the progress, downloads the result and
/// writes <c>baseline-&lt;date&gt;.json</c> or <c>phase-&lt;N&gt;-&lt;date&gt;.json</c> with its .md and .html into --out.
/// Exit code 0 when the run finished (or, with --baseline, the verdict); 3 when it could not be run.
/// </summary>
public sealed class EvalRunCommand : AsyncCommand<EvalRunSettings>
{
    public const int RunError = 3;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public override async Task<int> ExecuteAsync(CommandContext context, EvalRunSettings settings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(settings.Api.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        var key = settings.ApiKey ?? Environment.GetEnvironmentVariable("MARKETINTEL_API_KEY");
        if (!string.IsNullOrEmpty(key))
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        var body = new JsonObject { ["trials"] = settings.Trials };
        try
        {
            body["routing"] = settings.Routing == "active" ? "active" : JsonNode.Parse(await File.ReadAllTextAsync(settings.Routing, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Cannot read the routing file {settings.Routing}:[/] {e.Message}");
            return RunError;
        }
        if (settings.Phase is { } phase)
        {
            body["phase"] = phase;
        }
        if (settings.Kind is { } kind)
        {
            body["kind"] = kind;
        }
        if (!string.IsNullOrWhiteSpace(settings.Samples))
        {
            body["samples"] = new JsonArray(settings.Samples.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (JsonNode)s).ToArray());
        }

        using var created = await http.PostAsync("api/evaluations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        if (created.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            await PrintProblemAsync(created, cancellationToken);
            return RunError;
        }
        var location = created.Headers.Location ?? throw new InvalidOperationException("The API answered 202 without a Location.");
        AnsiConsole.MarkupLineInterpolated($"Evaluation queued: {location}");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(settings.TimeoutMinutes));
        JsonObject? view = null;
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("stage runs", maxValue: 1);
            while (true)
            {
                using var response = await http.GetAsync(location, deadline.Token);
                if (!response.IsSuccessStatusCode)
                {
                    await PrintProblemAsync(response, deadline.Token);
                    return;
                }
                view = (await response.Content.ReadFromJsonAsync<JsonNode>(deadline.Token))!.AsObject();
                var total = (int?)view["total"] ?? 0;
                task.MaxValue = Math.Max(1, total);
                task.Value = (int?)view["completed"] ?? 0;
                var status = (string?)view["status"];
                if (status is "succeeded" or "failed")
                {
                    task.Value = task.MaxValue;
                    return;
                }
                await Task.Delay(PollInterval, deadline.Token);
            }
        });

        if (view is null || (string?)view["status"] != "succeeded" || view["result"] is not JsonObject resultNode)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The evaluation did not finish:[/] {(string?)view?["error"] ?? "see the API"}");
            return RunError;
        }

        var result = EvaluationFiles.Deserialize(resultNode.ToJsonString());
        Directory.CreateDirectory(settings.Out);
        var path = Path.Combine(settings.Out, EvaluationFiles.BaseName(result));
        await File.WriteAllTextAsync(path + ".json", EvaluationFiles.Serialize(result), cancellationToken);
        await File.WriteAllTextAsync(path + ".md", EvaluationReport.ToMarkdown(result), cancellationToken);
        await File.WriteAllTextAsync(path + ".html", EvaluationReport.ToHtml(result), cancellationToken);
        PrintRun(result);
        AnsiConsole.MarkupLineInterpolated($"Wrote {path}.json, .md and .html");

        if (settings.Baseline is { } baselineFile)
        {
            var baseline = EvaluationFiles.Deserialize(await File.ReadAllTextAsync(baselineFile, cancellationToken));
            var comparison = EvaluationComparer.Compare(baseline, result, new EvaluationGates());
            EvalCompareCommand.Print(comparison);
            return comparison.ExitCode;
        }
        return 0;
    }

    private static void PrintRun(EvaluationResult result)
    {
        var rows = EvaluationReport.RunTable(result);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in rows[0])
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }
        foreach (var row in rows.Skip(1))
        {
            table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }
        AnsiConsole.Write(table);
    }

    private static async Task PrintProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[red]The API answered {(int)response.StatusCode}:[/] {text}");
    }
}
