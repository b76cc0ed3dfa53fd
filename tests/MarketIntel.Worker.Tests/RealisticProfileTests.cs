using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.ReportSynthesis;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// Full jobs against the emulator's <c>realistic</c> behaviour on every model (docs/emulator.md): long answers fall
/// short of their length, lists come out one item off, numbers nobody fixed are drawn independently, and a re-ask
/// fixes the answer only most of the time. The pipeline must still deliver consistent work: sections re-asked alone,
/// computed numbers given as facts, every consistency rule checked (docs/consistency.md, docs/report.md).
/// </summary>
public sealed class RealisticProfileTests : RedisAndEmulatorTest
{
    private const int Jobs = 10;

    [Fact]
    public async Task Nine_of_ten_full_jobs_succeed_under_realistic_model_behaviour_and_every_succeeded_job_holds_together()
    {
        await Emulator.ChangeProfileAsync(model: null, profile => profile["behaviour"] = "realistic");
        using var host = WorkerHost.Build(Redis, Emulator);
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var samples = SampleSuite.LoadAll();
        var records = Enumerable.Range(0, Jobs).Select(i => TestJobs.Full(samples[i % samples.Count])).ToList();
        foreach (var record in records)
        {
            await store.CreateAsync(record);
        }
        var jobs = new List<JobSnapshot>();
        foreach (var record in records)
        {
            jobs.Add(await JobRecoveryTests.WaitForTerminalAsync(store, record.Id, TimeSpan.FromMinutes(10)));
        }
        await host.StopAsync();

        var succeeded = jobs.Where(j => j.Status == JobStatus.Succeeded).ToList();
        var attempts = jobs.SelectMany(j => j.Stages.Values).SelectMany(s => s.Attempts.Select(a => (s.Stage, Attempt: a))).ToList();
        var words = new List<int>();
        foreach (var job in succeeded)
        {
            var outputs = new Dictionary<int, string>();
            foreach (var stage in job.Record.Stages)
            {
                outputs[stage] = (await store.GetLatestOutputAsync(job.Record.Id, stage))!.Content;
            }
            var input = new StageInput(job.Record.Profile, job.Record.Preferences, outputs);
            // Judged again on the final outputs of the whole job: every stage's rules, cross-stage ones included.
            foreach (var (stage, content) in outputs)
            {
                var validation = StageCatalog.Get(stage).Validate(content, input);
                Assert.True(validation.IsValid, $"job {job.Record.Id} stage {stage}: {string.Join("; ", validation.Errors)}");
            }
            words.Add(ReportValidator.CountWords(outputs[6]));
        }

        var figures = new
        {
            Jobs = jobs.Count,
            Succeeded = succeeded.Count,
            Failed = jobs.Where(j => j.Status != JobStatus.Succeeded).Select(j => j.Error).ToList(),
            MeanQualityPerStage = succeeded.SelectMany(j => j.Stages.Values)
                .GroupBy(s => s.Stage).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => Math.Round(g.Average(s => s.QualityScore ?? 0), 1)),
            MeanQuality = Math.Round(succeeded.SelectMany(j => j.Stages.Values).Average(s => s.QualityScore ?? 0), 1),
            ReasksPerStage = attempts.Where(a => a.Attempt.Reask).GroupBy(a => a.Stage).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => g.Count()),
            SectionsReasked = attempts.Where(a => a.Attempt.Reask && a.Attempt.Section is not null).GroupBy(a => a.Attempt.Section!)
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            ModelCalls = attempts.Count(a => !a.Attempt.CacheHit),
            ReportWords = new { Min = words.DefaultIfEmpty().Min(), Max = words.DefaultIfEmpty().Max() },
        };
        Artifacts.Write("realistic-profile.json", figures);

        Assert.True(succeeded.Count >= 9, $"{succeeded.Count} of {Jobs} succeeded: {string.Join(" | ", figures.Failed)}");
        Assert.All(words, w => Assert.InRange(w, ReportValidator.MinWords, ReportValidator.MaxWords));
        // The realistic models did fall short: the pipeline got there by re-asking, not by luck.
        Assert.True(figures.ReasksPerStage.Count > 0, "No stage was re-asked: the realistic behaviour was not in force.");
    }
}
