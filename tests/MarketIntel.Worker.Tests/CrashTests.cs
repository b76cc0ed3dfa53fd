using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;
using MarketIntel.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// The worker as a real process, killed with SIGKILL at random points (at least 20 times) while it runs a batch of
/// research jobs against the emulator (also a real process), and restarted each time. Every job must succeed exactly once,
/// every stage must have exactly one stored model output, and no stage that had finished before a kill may run again.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    public const int Seed = 1127;
    public const int Jobs = 16;
    public const int Kills = 20;

    private readonly RedisServer _redis = new();
    private Process? _emulator;
    private Process? _worker;
    private readonly List<Process> _killed = [];
    private int _emulatorPort;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _emulatorPort = FreePort();
        _emulator = Start(DllOf("MarketIntel.ModelEmulator"), $"--urls http://127.0.0.1:{_emulatorPort}", new()
        {
            ["Emulator__LatencyScale"] = "0.01",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var http = new HttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{_emulatorPort}/admin/stats", timeout.Token)).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in new[] { _worker, _emulator })
        {
            if (process is { HasExited: false })
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process?.Dispose();
        }
        _killed.ForEach(p => p.Dispose());
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Twenty_sigkills_of_the_worker_lose_no_job_and_rerun_no_finished_stage()
    {
        var store = new JobStore(_redis.Connection!, TimeProvider.System);
        var jobs = Enumerable.Range(0, Jobs).Select(i => RedisRestartTests.Distinct(JobRecoveryTests.NewJob(), i) with
        {
            Stages = JobKinds.StagesOf(JobKind.Research),
        }).ToList();
        foreach (var job in jobs)
        {
            await store.CreateAsync(job);
        }

        var random = new Random(Seed);
        var finishedBeforeKill = new Dictionary<(string Job, int Stage), string>();
        var killsMidRun = 0;
        var kills = 0;
        var watch = Stopwatch.StartNew();
        for (; kills < Kills; kills++)
        {
            await StartWorkerAsync();
            await Task.Delay(random.Next(100, 1501));
            // Everything finished by now finished before the kill below.
            var snapshot = await SnapshotAsync(store, jobs);
            foreach (var (key, state) in snapshot.Finished)
            {
                finishedBeforeKill.TryAdd(key, state);
            }
            killsMidRun += snapshot.AllTerminal ? 0 : 1;
            _worker!.Kill();
            await _worker.WaitForExitAsync();
        }

        await StartWorkerAsync();
        var finished = new List<JobSnapshot>();
        foreach (var job in jobs)
        {
            finished.Add(await JobRecoveryTests.WaitForTerminalAsync(store, job.Id, TimeSpan.FromSeconds(90)));
        }
        await WaitForNoPendingAsync();
        var elapsed = watch.Elapsed;

        // Figures.
        var rerun = new List<string>();
        foreach (var ((jobId, stage), before) in finishedBeforeKill)
        {
            var after = finished.Single(j => j.Record.Id == jobId).Stages[stage];
            if (PipelineJson.Serialize(after) != before)
            {
                rerun.Add($"job {jobId} stage {stage}");
            }
        }
        var duplicateOutputs = new List<string>();
        var succeededEvents = new List<string>();
        foreach (var job in finished)
        {
            foreach (var stage in job.Record.Stages)
            {
                var versions = await store.CountOutputVersionsAsync(job.Record.Id, stage);
                if (versions != 1)
                {
                    duplicateOutputs.Add($"job {job.Record.Id} stage {stage}: {versions} versions");
                }
            }
            var completions = (await store.ReadEventsAsync(job.Record.Id, "0-0", 10_000))
                .Count(e => e.Event.Type == "job" && e.Event.Status == nameof(JobStatus.Succeeded));
            if (completions != 1)
            {
                succeededEvents.Add($"job {job.Record.Id}: {completions} completions");
            }
        }
        using var http = new HttpClient();
        var stats = await http.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{_emulatorPort}/admin/stats");
        var modelCalls = stats!["requests"]!.GetValue<int>();
        var stagesTotal = finished.Sum(j => j.Record.Stages.Count);
        var lost = Jobs - finished.Count(j => j.Status == JobStatus.Succeeded);

        output.WriteLine($"{kills} SIGKILLs ({killsMidRun} while jobs were unfinished), {Jobs} jobs, {stagesTotal} stages, "
            + $"{finishedBeforeKill.Count} stages finished before a kill, {rerun.Count} of them rerun, {duplicateOutputs.Count} duplicate outputs, "
            + $"{lost} jobs lost or failed, {modelCalls} model calls, {elapsed.TotalSeconds:0} s");
        Artifacts.Write("crash.json", new
        {
            seed = Seed,
            kills,
            killsWhileJobsUnfinished = killsMidRun,
            jobs = Jobs,
            stages = stagesTotal,
            stagesFinishedBeforeAKill = finishedBeforeKill.Count,
            stagesRerun = rerun.Count,
            duplicateOutputs = duplicateOutputs.Count,
            jobsLost = lost,
            modelCalls,
            seconds = Math.Round(elapsed.TotalSeconds),
        });

        Assert.Equal(Kills, kills);
        Assert.All(finished, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.All(finished, j => Assert.All(j.Stages.Values, s => Assert.Equal(StageStatus.Succeeded, s.Status)));
        Assert.True(rerun.Count == 0, "finished stages ran again:\n" + string.Join("\n", rerun));
        Assert.True(duplicateOutputs.Count == 0, "duplicate outputs:\n" + string.Join("\n", duplicateOutputs));
        Assert.True(succeededEvents.Count == 0, "not completed exactly once:\n" + string.Join("\n", succeededEvents));
        Assert.Equal(Jobs, await _redis.Connection!.GetDatabase().SortedSetLengthAsync(RedisKeys.JobIndex));
    }

    private async Task StartWorkerAsync()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The killed process objects are kept until the end: disposing one while its output reader drains is a race.
        if (_worker is not null)
        {
            _killed.Add(_worker);
        }
        _worker = Start(DllOf("MarketIntel.Worker"), "", new()
        {
            // Its probes' web host on a port of the system's choice, not the default 5000 another process may hold.
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__redis"] = _redis.ConnectionString,
            ["Emulator__BaseUrl"] = $"http://127.0.0.1:{_emulatorPort}",
            ["Worker__ClaimIdleAfter"] = "00:00:02",
            ["Worker__PollInterval"] = "00:00:00.200",
            ["Worker__MaxConcurrentJobs"] = "8",
            ["ModelResilience__RetryDelay"] = "00:00:00.010",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__MarketIntel.Worker.Jobs.JobQueueConsumer"] = "Information",
        }, line =>
        {
            if (line.Contains("consuming", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        });
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private sealed record Snapshot(Dictionary<(string, int), string> Finished, bool AllTerminal);

    private static async Task<Snapshot> SnapshotAsync(JobStore store, IReadOnlyList<JobRecord> jobs)
    {
        var finished = new Dictionary<(string, int), string>();
        var allTerminal = true;
        foreach (var job in jobs)
        {
            var snapshot = (await store.GetAsync(job.Id))!;
            allTerminal &= snapshot.Status == JobStatus.Succeeded;
            foreach (var (number, state) in snapshot.Stages.Where(s => s.Value.Status == StageStatus.Succeeded))
            {
                finished[(job.Id, number)] = PipelineJson.Serialize(state);
            }
        }
        return new Snapshot(finished, allTerminal);
    }

    private async Task WaitForNoPendingAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await _redis.Connection!.GetDatabase().StreamPendingAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup)).PendingMessageCount > 0)
        {
            await Task.Delay(200, timeout.Token);
        }
    }

    private static Process Start(string dll, string arguments, Dictionary<string, string> environment, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { onLine?.Invoke(line); } };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The project's own build output (same configuration as this test assembly), with its runtimeconfig and deps.</summary>
    private static string DllOf(string project)
    {
        var dll = RepositoryPaths.BuildOutput(Path.Combine("src", project), project + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
