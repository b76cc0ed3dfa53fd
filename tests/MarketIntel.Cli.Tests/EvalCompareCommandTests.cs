using MarketIntel.Pipeline.Evaluation;
using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Cli.Tests;

/// <summary><c>eval compare</c> run in-process through the command tree: the exit code is the verdict.</summary>
public sealed class EvalCompareCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("marketintel-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(EvaluationResult result)
    {
        var path = Path.Combine(_dir, EvaluationFiles.BaseName(result) + ".json");
        File.WriteAllText(path, EvaluationFiles.Serialize(result));
        return path;
    }

    private static EvaluationResult Result(EvaluationKind kind, int runs, int errors) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Kind = kind,
        Phase = kind == EvaluationKind.Candidate ? 1 : null,
        CreatedAt = new DateTimeOffset(2025, 1, 26, 0, 0, 0, TimeSpan.Zero),
        Routing = new RoutingDocument(),
        Trials = runs,
        Samples = ["wealth-executive-coaching"],
        Stages =
        [
            new StageMetrics
            {
                Stage = 1, Name = "Market Analysis", Models = ["m"], Runs = runs, Errors = errors, LatencyMeanMs = 100, LatencyP95Ms = 120,
                Cost = 0.01m * runs, QualityMean = errors == runs ? null : 100, QualityMin = errors == runs ? null : 100,
            },
        ],
        Totals = new EvaluationTotals(),
    };

    [Theory]
    [InlineData(5, 0, 0)]
    [InlineData(5, 1, 1)]
    [InlineData(2, 0, 2)]
    public async Task The_exit_code_is_the_verdict(int runs, int errors, int expected)
    {
        var baseline = Write(Result(EvaluationKind.Baseline, 5, 0));
        var candidate = Write(Result(EvaluationKind.Candidate, runs, errors));

        var code = await CliApp.Create().RunAsync(["eval", "compare", baseline, candidate, "--out", _dir]);

        Assert.Equal(expected, code);
        Assert.True(File.Exists(Path.Combine(_dir, "compare-phase-1-2025-01-26.md")));
        Assert.Contains("<table>", File.ReadAllText(Path.Combine(_dir, "compare-phase-1-2025-01-26.html")));
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error_not_a_verdict()
    {
        var baseline = Write(Result(EvaluationKind.Baseline, 5, 0));

        var code = await CliApp.Create().RunAsync(["eval", "compare", baseline, Path.Combine(_dir, "missing.json")]);

        Assert.Equal(EvalCompareCommand.UsageError, code);
    }
}
