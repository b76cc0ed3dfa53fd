using System.Globalization;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Rollout;
using MarketIntel.Pipeline.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketIntel.Storage.Rollout;

/// <summary>The outcome of applying a phase: the new state, or the reasons it was refused (nothing changed then).</summary>
public sealed record PhaseApplyResult(PhaseState? State, IReadOnlyList<string> Refusals, RoutingChange? Change)
{
    public bool Applied => State is not null && Refusals.Count == 0;
}

/// <summary>One phase as the operator sees it.</summary>
public sealed record PhaseView(
    int Number, string Name, IReadOnlyList<int> Stages, string TargetModel, PhaseState State, IReadOnlyList<string> Blockers);

/// <summary>
/// The rollout's state machine (docs/architecture.md §4.5): pending → canary → soaking → complete, or rolled_back. Applying a phase
/// checks the prerequisites and puts its target on canary; <see cref="TickAsync"/> (run by the worker's monitor) rolls a
/// broken canary back, promotes a healthy one after the soak period and completes a soaked phase. All time comes from the
/// injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class PhaseService(
    RoutingStore routing,
    PhaseStateStore states,
    LiveMetrics metrics,
    IEvaluationVerdicts verdicts,
    IOptionsMonitor<RolloutOptions> options,
    IOptions<RoutingOptions> seed,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<PhaseService> logger)
{
    public const string MonitorActor = "canary-monitor";

    private RolloutOptions Plan => options.CurrentValue;

    /// <summary>Why phase <paramref name="number"/> cannot be applied now; empty when it can.</summary>
    public async Task<IReadOnlyList<string>> BlockersAsync(int number, bool approved, string? reason)
    {
        var phase = Plan.Find(number) ?? throw new KeyNotFoundException($"There is no rollout phase {number}.");
        var blockers = new List<string>();
        var state = await states.GetAsync(number);
        if (state.Status is PhaseStatus.Canary or PhaseStatus.Soaking or PhaseStatus.Complete)
        {
            blockers.Add($"Phase {number} is {Describe(state.Status)} already (since {Moment(state.UpdatedAt)}).");
        }

        var previous = Plan.Phases.Where(p => p.Number < number).MaxBy(p => p.Number);
        if (previous is not null)
        {
            var before = await states.GetAsync(previous.Number);
            if (before.Status != PhaseStatus.Complete || before.CompletedAt is not { } completedAt)
            {
                blockers.Add($"Phase {previous.Number} ({previous.Name}) must be complete first; it is {Describe(before.Status)}.");
            }
            else if (completedAt + Plan.SoakPeriod is var ready && ready > time.GetUtcNow())
            {
                blockers.Add($"Phase {previous.Number} has been complete since {Moment(completedAt)}; it must stay stable for the soak period of "
                    + $"{Plan.SoakPeriod.ToString("c", CultureInfo.InvariantCulture)}, until {Moment(ready)}.");
            }
        }

        var document = await routing.GetActiveAsync();
        var verdict = await verdicts.ForPhaseAsync(number);
        if (VerdictRules.Blocker(number, verdict?.Passed, verdict?.Summary, verdict?.RecordedAt ?? default, verdict?.RoutingVersion, document.Version,
                time.GetUtcNow(), Plan.VerdictLifetime) is { } stale)
        {
            blockers.Add(stale);
        }

        var protectedStages = phase.Stages.Where(s => document.Stages.GetValueOrDefault(s)?.Protected == true).ToList();
        if (protectedStages.Count > 0 && !(approved && !string.IsNullOrWhiteSpace(reason)))
        {
            blockers.Add($"Phase {number} changes protected stage {string.Join(", ", protectedStages)}: it needs \"approved\": true and a reason.");
        }
        return blockers;
    }

    /// <summary>Puts the phase's target on canary for each of its stages (routing change "phase-apply"), or says why not.</summary>
    public async Task<PhaseApplyResult> ApplyAsync(int number, string actor, string reason, bool approved)
    {
        var phase = Plan.Find(number) ?? throw new KeyNotFoundException($"There is no rollout phase {number}.");
        var blockers = await BlockersAsync(number, approved, reason);
        if (blockers.Count > 0)
        {
            return new PhaseApplyResult(null, blockers, null);
        }

        var document = await routing.GetActiveAsync();
        var touchesProtected = phase.Stages.Any(s => document.Stages.GetValueOrDefault(s)?.Protected == true);
        var evidence = new JsonObject
        {
            ["phase"] = number,
            ["target_model"] = phase.TargetModel,
            ["stages"] = new JsonArray(phase.Stages.Select(s => (JsonNode)s).ToArray()),
            ["canary_share"] = Plan.CanaryShare,
            ["evaluation_passed"] = true,
        };
        if (touchesProtected)
        {
            evidence["approval"] = new JsonObject { ["approved_by"] = actor, ["reason"] = reason };
        }
        var change = await routing.ChangeAsync(
            current =>
            {
                var stages = new Dictionary<int, StageRoute>(current.Stages);
                foreach (var stage in phase.Stages)
                {
                    var route = current.For(stage);
                    stages[stage] = route.Stable == phase.TargetModel
                        ? route with { Candidate = null, CandidateShare = 0 }
                        : route with { Candidate = phase.TargetModel, CandidateShare = Plan.CanaryShare };
                }
                return current with { Stages = stages };
            },
            "phase-apply", actor, $"Phase {number} ({phase.Name}): {reason}", approved: approved && touchesProtected, evidence);

        var now = time.GetUtcNow();
        var state = new PhaseState
        {
            Number = number,
            Status = PhaseStatus.Canary,
            AppliedAt = now,
            UpdatedAt = now,
            Actor = actor,
            Reason = reason,
            ApprovedBy = touchesProtected ? actor : null,
            ApprovalReason = touchesProtected ? reason : null,
            RoutingVersion = change.Version,
        };
        await states.SetAsync(state);
        logger.LogInformation("Rollout phase {Phase} applied by {Actor}: canary at {Share} % (routing version {Version})", number, actor, Plan.CanaryShare, change.Version);
        return new PhaseApplyResult(state, [], change);
    }

    /// <summary>Every phase with its state and, in words, what it waits for.</summary>
    public async Task<IReadOnlyList<PhaseView>> DescribeAsync()
    {
        var views = new List<PhaseView>();
        foreach (var phase in Plan.Phases.OrderBy(p => p.Number))
        {
            var state = await states.GetAsync(phase.Number);
            IReadOnlyList<string> blockers = state.Status switch
            {
                PhaseStatus.Pending or PhaseStatus.RolledBack => await BlockersAsync(phase.Number, approved: false, reason: null),
                PhaseStatus.Canary => await PromotionBlockersAsync(phase, state),
                PhaseStatus.Soaking => [$"Soaking on the new stable model until {Moment(state.PromotedAt!.Value + Plan.SoakPeriod)}."],
                _ => [],
            };
            views.Add(new PhaseView(phase.Number, phase.Name, phase.Stages, phase.TargetModel, state, blockers));
        }
        return views;
    }

    /// <summary>
    /// One pass of the monitor: canary analysis on every stage with candidate traffic (automatic rollback), then promotion
    /// of healthy canaries whose soak period is over, then completion of soaked phases. Only one worker runs it at a time.
    /// </summary>
    public async Task TickAsync()
    {
        var db = redis.GetDatabase();
        var token = Guid.NewGuid().ToString("N");
        if (!await db.StringSetAsync(RedisKeys.RolloutMonitorLock, token, Plan.MonitorInterval, When.NotExists))
        {
            return;
        }
        try
        {
            await AnalyseCanariesAsync();
            await AdvancePhasesAsync();
        }
        catch (RoutingConflictException e)
        {
            logger.LogInformation("Rollout monitor: {Message} The next tick tries again.", e.Message);
        }
        finally
        {
            await db.ScriptEvaluateAsync("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
                [RedisKeys.RolloutMonitorLock], [token]);
        }
    }

    /// <summary>
    /// Returns every stage to its last known-good stable model: the configured seed (Phase 0) with the targets of the
    /// phases that are complete; all candidates are removed. Phases on canary or soaking become rolled_back.
    /// </summary>
    /// <exception cref="ProtectedStageException">It would change a protected stage and <paramref name="approved"/> is false.</exception>
    public async Task<RoutingChange> EmergencyRollbackAsync(string actor, string reason, bool approved)
    {
        var all = await states.GetAllAsync();
        var knownGood = KnownGoodStables(all);
        var change = await routing.ChangeAsync(
            current =>
            {
                var stages = new Dictionary<int, StageRoute>(current.Stages);
                foreach (var (stage, route) in current.Stages)
                {
                    stages[stage] = route with
                    {
                        Stable = knownGood.GetValueOrDefault(stage, route.Stable),
                        Candidate = null,
                        CandidateShare = 0,
                    };
                }
                var next = current with { Stages = stages };
                // Protected means protected in an emergency too: the operator says so with "approved" and the reason.
                if (ProtectedStages.Changed(current, next) is { Count: > 0 } touched && !ProtectedStages.IsApproved(approved, reason))
                {
                    throw new ProtectedStageException(touched);
                }
                return next;
            },
            "emergency-rollback", actor, reason, approved,
            new JsonObject { ["known_good"] = new JsonObject(knownGood.Select(kv => KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)kv.Value))) });

        var now = time.GetUtcNow();
        foreach (var state in all.Values.Where(s => s.Status is PhaseStatus.Canary or PhaseStatus.Soaking))
        {
            await states.SetAsync(state with
            {
                Status = PhaseStatus.RolledBack,
                RolledBackAt = now,
                UpdatedAt = now,
                Actor = actor,
                Reason = $"Emergency rollback: {reason}",
                RoutingVersion = change.Version,
            });
        }
        logger.LogWarning("Emergency rollback by {Actor}: routing version {Version}", actor, change.Version);
        return change;
    }

    /// <summary>Seed stables with the targets of complete phases applied in order.</summary>
    internal Dictionary<int, string> KnownGoodStables(IReadOnlyDictionary<int, PhaseState> all)
    {
        var stables = seed.Value.Stages.ToDictionary(kv => kv.Key, kv => kv.Value.Stable);
        foreach (var phase in Plan.Phases.OrderBy(p => p.Number))
        {
            if (all.GetValueOrDefault(phase.Number)?.Status == PhaseStatus.Complete)
            {
                foreach (var stage in phase.Stages)
                {
                    stables[stage] = phase.TargetModel;
                }
            }
        }
        return stables;
    }

    private async Task AnalyseCanariesAsync()
    {
        var document = await routing.GetActiveAsync();
        var thresholds = Plan.CanaryThresholds;
        var broken = new Dictionary<int, (IReadOnlyList<string> Breaches, LiveWindow Candidate, LiveWindow Stable)>();
        foreach (var (stage, route) in document.Stages.OrderBy(kv => kv.Key))
        {
            if (route.Candidate is not { Length: > 0 } candidate || route.CandidateShare <= 0)
            {
                continue;
            }
            var candidateWindow = await metrics.WindowAsync(stage, candidate);
            var stableWindow = await metrics.WindowAsync(stage, route.Stable);
            var breaches = CanaryAnalysis.Breaches(candidateWindow, stableWindow, thresholds);
            if (breaches.Count > 0)
            {
                broken[stage] = (breaches, candidateWindow, stableWindow);
            }
        }
        if (broken.Count == 0)
        {
            return;
        }

        // A broken stage takes its whole phase off canary: the phase moves together or not at all.
        var all = await states.GetAllAsync();
        var phases = Plan.Phases
            .Where(p => p.Stages.Any(broken.ContainsKey) && all.GetValueOrDefault(p.Number)?.Status == PhaseStatus.Canary)
            .ToList();
        var stagesToStop = broken.Keys.Concat(phases.SelectMany(p => p.Stages)).ToHashSet();
        var reason = string.Join(" ", broken.Select(kv =>
            $"Stage {kv.Key} candidate {kv.Value.Candidate.Model} broke the canary thresholds: {string.Join("; ", kv.Value.Breaches)}."));
        if (phases.Count > 0)
        {
            reason += $" Phase {string.Join(", ", phases.Select(p => p.Number))} rolled back.";
        }
        var evidence = new JsonObject
        {
            ["window"] = thresholds.Window.ToString("c", CultureInfo.InvariantCulture),
            ["thresholds"] = JsonNode.Parse(PipelineJson.Serialize(thresholds)),
            ["stages"] = new JsonArray(broken.Select(kv => (JsonNode)new JsonObject
            {
                ["stage"] = kv.Key,
                ["breaches"] = new JsonArray(kv.Value.Breaches.Select(b => (JsonNode)b).ToArray()),
                ["candidate"] = kv.Value.Candidate.ToJson(),
                ["stable"] = kv.Value.Stable.ToJson(),
            }).ToArray()),
        };
        var change = await routing.ChangeAsync(
            current => current with
            {
                Stages = current.Stages.ToDictionary(kv => kv.Key,
                    kv => stagesToStop.Contains(kv.Key) && kv.Value.CandidateShare > 0 ? kv.Value with { CandidateShare = 0 } : kv.Value),
            },
            "auto-rollback", MonitorActor, reason, approved: false, evidence);

        var now = time.GetUtcNow();
        foreach (var phase in phases)
        {
            await states.SetAsync(all[phase.Number] with
            {
                Status = PhaseStatus.RolledBack,
                RolledBackAt = now,
                UpdatedAt = now,
                Actor = MonitorActor,
                Reason = reason,
                RoutingVersion = change.Version,
            });
        }
        logger.LogWarning("Canary rolled back automatically (routing version {Version}): {Reason}", change.Version, reason);
    }

    private async Task AdvancePhasesAsync()
    {
        var now = time.GetUtcNow();
        foreach (var phase in Plan.Phases.OrderBy(p => p.Number))
        {
            var state = await states.GetAsync(phase.Number);
            if (state.Status == PhaseStatus.Canary && (await PromotionBlockersAsync(phase, state)).Count == 0)
            {
                var windows = new JsonArray();
                foreach (var stage in phase.Stages)
                {
                    windows.Add((JsonNode)(await metrics.WindowAsync(stage, phase.TargetModel)).ToJson());
                }
                var change = await routing.ChangeAsync(
                    current =>
                    {
                        var stages = new Dictionary<int, StageRoute>(current.Stages);
                        foreach (var stage in phase.Stages)
                        {
                            stages[stage] = current.For(stage) with { Stable = phase.TargetModel, Candidate = null, CandidateShare = 0 };
                        }
                        return current with { Stages = stages };
                    },
                    "phase-promote", MonitorActor,
                    $"Phase {phase.Number} ({phase.Name}): canary healthy for the soak period of {Plan.SoakPeriod.ToString("c", CultureInfo.InvariantCulture)}; "
                    + $"{phase.TargetModel} is now stable on stage {string.Join(", ", phase.Stages)}.",
                    approved: false, new JsonObject { ["phase"] = phase.Number, ["windows"] = windows });
                await states.SetAsync(state with { Status = PhaseStatus.Soaking, PromotedAt = now, UpdatedAt = now, RoutingVersion = change.Version });
                logger.LogInformation("Rollout phase {Phase} promoted (routing version {Version})", phase.Number, change.Version);
            }
            else if (state.Status == PhaseStatus.Soaking && state.PromotedAt is { } promotedAt && promotedAt + Plan.SoakPeriod <= now)
            {
                await states.SetAsync(state with { Status = PhaseStatus.Complete, CompletedAt = now, UpdatedAt = now });
                logger.LogInformation("Rollout phase {Phase} complete", phase.Number);
            }
        }
    }

    /// <summary>What keeps a canary phase from promotion: the soak period, then enough healthy traffic per stage.</summary>
    private async Task<IReadOnlyList<string>> PromotionBlockersAsync(RolloutPhase phase, PhaseState state)
    {
        var blockers = new List<string>();
        var ready = state.AppliedAt!.Value + Plan.SoakPeriod;
        if (ready > time.GetUtcNow())
        {
            blockers.Add($"On canary ({Plan.CanaryShare} % of jobs) until {Moment(ready)}.");
        }
        var thresholds = Plan.CanaryThresholds;
        var document = await routing.GetActiveAsync();
        foreach (var stage in phase.Stages)
        {
            var route = document.For(stage);
            if (route.Stable == phase.TargetModel && route.Candidate is null)
            {
                continue;
            }
            var window = await metrics.WindowAsync(stage, phase.TargetModel);
            if (window.Requests < thresholds.MinimumSample)
            {
                blockers.Add($"Stage {stage}: {window.Requests} of the {thresholds.MinimumSample} candidate requests needed in the last {CanaryAnalysis.Minutes(thresholds.Window)}.");
            }
            var breaches = CanaryAnalysis.Breaches(window, await metrics.WindowAsync(stage, route.Stable), thresholds);
            blockers.AddRange(breaches.Select(b => $"Stage {stage}: {b}."));
        }
        return blockers;
    }

    private static string Describe(PhaseStatus status) => status switch
    {
        PhaseStatus.Pending => "pending",
        PhaseStatus.Canary => "on canary",
        PhaseStatus.Soaking => "soaking",
        PhaseStatus.Complete => "complete",
        _ => "rolled back",
    };

    private static string Moment(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "unknown";
}
