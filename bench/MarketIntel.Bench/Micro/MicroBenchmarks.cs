using System.Globalization;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MarketIntel.Pipeline.Stages;
using Perfolizer.Horology;

namespace MarketIntel.Bench.Micro;

/// <summary>Runs <see cref="StageBenchmarks"/> and condenses BenchmarkDotNet's summary into one stage × operation table.</summary>
internal static class MicroBenchmarks
{
    public static string Run(string[] args)
    {
        // In-process: no nested build of a generated project; short iterations, repeated, and the median reported.
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(150));
        var config = DefaultConfig.Instance.AddJob(job)
            .WithArtifactsPath(Path.Combine("artifacts", "bench", "micro"))
            .AddColumn(StatisticColumn.Median)
            .HideColumns(Column.Job, Column.Toolchain, Column.IterationCount, Column.IterationTime, Column.WarmupCount);
        var summaries = BenchmarkSwitcher.FromTypes([typeof(StageBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return Table(summaries.SelectMany(s => s.Reports));
    }

    /// <summary>Median microseconds per stage and operation, and their sum over the 13 stages: the cost per full job.</summary>
    private static string Table(IEnumerable<BenchmarkReport> reports)
    {
        var medians = reports
            .Where(r => r.ResultStatistics is not null)
            // The report stage (Markdown) has no schema to generate.
            .Where(r => !(r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(StageBenchmarks.GenerateSchema)
                && StageCatalog.Get((int)r.BenchmarkCase.Parameters["Stage"]).OutputKind == StageOutputKind.Markdown))
            .Select(r => (
                Operation: r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                Stage: (int)r.BenchmarkCase.Parameters["Stage"],
                Microseconds: r.ResultStatistics!.Median / 1000.0))
            .ToList();
        var operations = medians.Select(m => m.Operation).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine("Median µs per call (BenchmarkDotNet, in-process, 15 iterations):").AppendLine();
        text.AppendLine("| stage | " + string.Join(" | ", operations) + " |");
        text.AppendLine("|---|" + string.Concat(operations.Select(_ => "---:|")));
        foreach (var stage in medians.Select(m => m.Stage).Distinct().Order())
        {
            text.AppendLine($"| {stage} | " + string.Join(" | ", operations.Select(o =>
                medians.Where(m => m.Stage == stage && m.Operation == o).Select(m => Format(m.Microseconds)).FirstOrDefault() ?? "–")) + " |");
        }
        text.AppendLine("| **all 13** | " + string.Join(" | ", operations.Select(o =>
            "**" + Format(medians.Where(m => m.Operation == o).Sum(m => m.Microseconds)) + "**")) + " |");
        return text.ToString();
    }

    private static string Format(double microseconds) => microseconds.ToString(microseconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture);
}
