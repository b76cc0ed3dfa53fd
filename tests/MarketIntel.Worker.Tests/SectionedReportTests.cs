using System.Runtime.CompilerServices;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages.ReportSynthesis;
using MarketIntel.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// Stage 6 through the real stage runner, written section by section on the emulator (docs/report.md): one call per
/// section plus the summary, every attempt recorded under stage 6 with its section, a failed section re-asked alone.
/// </summary>
public sealed class SectionedReportTests : RedisAndEmulatorTest
{
    private const string Model = "@cf/meta/llama-3.1-70b-instruct";

    [Fact]
    public async Task The_report_is_written_by_a_call_per_section_and_a_spoiled_section_is_reasked_alone()
    {
        using var host = WorkerHost.Build(Redis, Emulator, configure: builder =>
            SpoiledOnce.Decorate(builder.Services, Model, marker: "## 3. "));
        var job = TestJobs.Research();
        var done = await RunAsync(host, job);

        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        var attempts = done.Stages[6].Attempts;
        var bySection = attempts.GroupBy(a => a.Section ?? "(whole)").ToDictionary(g => g.Key, g => g.ToList());
        string[] expected = ["section-1", "section-2", "section-3", "section-4", "section-5", "section-6", "section-7", "section-8", ReportPlan.SummaryKey];
        Assert.Equal(expected.Order(StringComparer.Ordinal), bySection.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([AttemptOutcome.Invalid, AttemptOutcome.Succeeded], bySection["section-3"].Select(a => a.Outcome));
        Assert.True(bySection["section-3"][1].Reask);
        Assert.Contains(bySection["section-3"][0].Errors, e => e.Contains("placeholder", StringComparison.OrdinalIgnoreCase));
        Assert.All(bySection.Where(p => p.Key != "section-3"), p => Assert.Equal(AttemptOutcome.Succeeded, Assert.Single(p.Value).Outcome));
        Assert.Equal(Enumerable.Range(1, attempts.Count), attempts.Select(a => a.Number).Order());

        var report = (await host.Services.GetRequiredService<JobStore>().GetLatestOutputAsync(job.Id, 6))!;
        Assert.True(report.Validation.IsValid);
        Assert.StartsWith("# ", report.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("[Insert detail]", report.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Phase_4_puts_the_report_on_Mistral_with_full_research_data_and_the_schema_free_path_through_the_real_runner()
    {
        const string mistral = "@cf/mistralai/mistral-small-3.1-24b-instruct";
        var prompts = new List<string>();
        using var host = WorkerHost.Build(Redis, Emulator, configure: builder => Recording.Decorate(builder.Services, mistral, prompts));
        await host.Services.GetRequiredService<RoutingStore>().ChangeAsync(
            doc => doc with { Stages = new(doc.Stages) { [6] = doc.For(6) with { Stable = mistral } } },
            "change", "test", "Phase 4: report on Mistral Small 3.1", approved: true);
        var job = TestJobs.Research();
        var done = await RunAsync(host, job);

        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Equal(mistral, done.Stages[6].Model);
        Assert.All(done.Stages[6].Attempts, a => Assert.Equal(mistral, a.Model));
        Assert.Equal(9, done.Stages[6].Attempts.Select(a => a.Section).Distinct().Count());
        // The long-context path: each section gets the full JSON of the stages it reads, not the condensed brief.
        lock (prompts)
        {
            Assert.Equal(done.Stages[6].Attempts.Count, prompts.Count);
            Assert.Contains(prompts, p => p.Contains("stage1_market_analysis", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task With_sectioning_off_the_report_is_one_call_as_before()
    {
        using var host = WorkerHost.Build(Redis, Emulator, new Dictionary<string, string?> { ["Stages:SectionedReport"] = "false" });
        var job = TestJobs.Research();
        var done = await RunAsync(host, job);

        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.All(done.Stages[6].Attempts, a => Assert.Null(a.Section));
    }

    /// <summary>Starts the worker, runs <paramref name="job"/> to its end and stops the worker.</summary>
    private static async Task<JobSnapshot> RunAsync(IHost host, JobRecord job)
    {
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();
        return done;
    }

    /// <summary>Records the user prompt of every call to one model.</summary>
    private sealed class Recording(IChatClient inner, List<string> prompts) : DelegatingChatClient(inner)
    {
        public static void Decorate(IServiceCollection services, string model, List<string> prompts)
        {
            var original = services.Single(d => d.ServiceType == typeof(IChatClient) && Equals(d.ServiceKey, model));
            services.Remove(original);
            services.AddKeyedSingleton<IChatClient>(model, (provider, key) =>
                new Recording((IChatClient)original.KeyedImplementationFactory!(provider, key), prompts));
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            lock (prompts)
            {
                prompts.Add(list[1].Text);
            }
            return base.GetStreamingResponseAsync(list, options, cancellationToken);
        }
    }

    /// <summary>The model's first answer to the prompt containing <c>marker</c> gets a template gap; later ones are left alone.</summary>
    private sealed class SpoiledOnce(IChatClient inner, string marker) : DelegatingChatClient(inner)
    {
        private int _spoiled;

        public static void Decorate(IServiceCollection services, string model, string marker)
        {
            var original = services.Single(d => d.ServiceType == typeof(IChatClient) && Equals(d.ServiceKey, model));
            services.Remove(original);
            services.AddKeyedSingleton<IChatClient>(model, (provider, key) =>
                new SpoiledOnce((IChatClient)original.KeyedImplementationFactory!(provider, key), marker));
        }

        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            var spoil = list.Count == 2 && list[1].Text.Contains(marker, StringComparison.Ordinal) && Interlocked.Exchange(ref _spoiled, 1) == 0;
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
            {
                yield return update;
            }
            if (spoil)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, "\n\n[Insert detail] about the competition.\n");
            }
        }
    }
}
