using System.ComponentModel;
using MarketIntel.Pipeline.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MarketIntel.Cli;

public sealed class EvalCompareSettings : CommandSettings
{
    [CommandArgument(0, "<baseline>")]
    [Description("The baseline result file (baseline-<date>.json).")]
    public string Baseline { get; init; } = "";

    [CommandArgument(1, "<candidate>")]
    [Description("The candidate result file (phase-<N>-<date>.json).")]
    public string Candidate { get; init; } = "";

    [CommandOption("--out <DIR>")]
    [Description("Write the comparison as JSON, Markdown and HTML into this directory.")]
    public string? Out { get; init; }

    [CommandOption("--min-runs <N>")]
    [Description("Runs per stage needed for a verdict (default 3).")]
    public int? MinRuns { get; init; }

    [CommandOption("--cost-margin <PERCENT>")]
    [Description("Cost per run allowed above the baseline, in percent (default 10).")]
    public double? CostMargin { get; init; }

    public override ValidationResult Validate()
    {
        if (MinRuns is < 1)
        {
            return ValidationResult.Error("--min-runs must be at least 1.");
        }
        if (CostMargin is < 0)
        {
            return ValidationResult.Error("--cost-margin must not be negative.");
        }
        return ValidationResult.Success();
    }
}

/// <summary><c>eval compare</c>: offline, on two result files; prints the table; the exit code is the verdict.</summary>
public sealed class EvalCompareCommand : AsyncCommand<EvalCompareSettings>
{
    /// <summary>Exit code when a file cannot be read (distinct from the verdicts 0, 1, 2).</summary>
    public const int UsageError = 3;

    public override async Task<int> ExecuteAsync(CommandContext context, EvalCompareSettings settings, CancellationToken cancellationToken)
    {
        EvaluationResult baseline, candidate;
        try
        {
            baseline = EvaluationFiles.Deserialize(await File.ReadAllTextAsync(settings.Baseline, cancellationToken));
            candidate = EvaluationFiles.Deserialize(await File.ReadAllTextAsync(settings.Candidate, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Cannot read the result files:[/] {e.Message}");
            return UsageError;
        }

        var defaults = new EvaluationGates();
        var gates = new EvaluationGates
        {
            MinQuality = defaults.MinQuality,
            MaxErrorRate = defaults.MaxErrorRate,
            MaxPlaceholders = defaults.MaxPlaceholders,
            CostMarginPercent = settings.CostMargin ?? defaults.CostMarginPercent,
            LatencyMarginPercent = defaults.LatencyMarginPercent,
            MinRunsPerStage = settings.MinRuns ?? defaults.MinRunsPerStage,
        };
        var comparison = EvaluationComparer.Compare(baseline, candidate, gates);
        Print(comparison);

        if (settings.Out is { } dir)
        {
            Directory.CreateDirectory(dir);
            var name = $"compare-{EvaluationFiles.BaseName(candidate)}";
            await File.WriteAllTextAsync(Path.Combine(dir, name + ".json"),
                System.Text.Json.JsonSerializer.Serialize(comparison, new System.Text.Json.JsonSerializerOptions(MarketIntel.Pipeline.PipelineJson.Options) { WriteIndented = true }), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir, name + ".md"), EvaluationReport.ToMarkdown(comparison), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir, name + ".html"), EvaluationReport.ToHtml(comparison), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"Wrote {Path.Combine(dir, name)}.json, .md and .html");
        }
        return comparison.ExitCode;
    }

    internal static void Print(EvaluationComparison comparison)
    {
        var rows = EvaluationReport.Table(comparison);
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
        foreach (var reason in comparison.Stages.SelectMany(s => s.Reasons))
        {
            AnsiConsole.WriteLine("- " + reason);
        }
        var colour = comparison.Verdict switch { Verdict.Pass => "green", Verdict.Fail => "red", _ => "yellow" };
        AnsiConsole.MarkupLine($"Verdict: [{colour}]{comparison.Verdict.ToString().ToUpperInvariant()}[/] (exit code {comparison.ExitCode})");
    }
}
