using System.Diagnostics;
using MarketIntel.Testing;

namespace MarketIntel.AppHost.Tests;

/// <summary>
/// The benchmark program end to end with tiny counts, so eng/bench.sh keeps working: it starts the real processes,
/// runs every scenario and writes its report. Only that it completes and reports is checked, never how fast.
/// </summary>
public class BenchSmokeTests
{
    [Fact]
    public async Task The_app_benchmark_runs_every_scenario_against_the_real_processes_and_writes_its_report()
    {
        var bench = RepositoryPaths.BuildOutput(Path.Combine("bench", "MarketIntel.Bench"), "MarketIntel.Bench.dll");
        var workDirectory = Directory.CreateTempSubdirectory("marketintel-bench-smoke-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            // A hundredth of the models' speed keeps the realistic job to seconds; the gateway peer runs (npm ci the first time)
            // where node and npm are installed, as on CI, and is reported as skipped elsewhere.
            bench, "app", "--overhead-jobs", "2", "--cached-jobs", "1", "--gateway-calls", "3", "--realistic-jobs", "1", "--latency-scale", "0.01",
            "--throughput-jobs", "2", "--throughput-rounds", "1", "--bound-jobs", "2", "--bound-latency-scale", "0.01", "--warmup-jobs", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output;

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{text}\n{await errors}");
        Assert.Contains("## Orchestration overhead per stage", text);
        Assert.Contains("Stages served from the cache: 13 of 13.", text);
        Assert.Contains("## Peer: an off-the-shelf gateway", text);
        Assert.Contains("## Realistic latency", text);
        Assert.Equal(2, text.Split("2 workers / 1 worker").Length - 1);
        var report = File.ReadAllText(Path.Combine(workDirectory, "artifacts", "bench", "app.md"));
        Assert.Contains("## Throughput at zero latency, 2 workers", report);
        Directory.Delete(workDirectory, recursive: true);
    }
}
