namespace MarketIntel.Pipeline.Routing;

/// <summary>
/// The protection rule for whole-document changes (rollback to a version, emergency rollback): a protected stage may not
/// change in any way, its model, share, limits or the flag itself, without an approval that gives a reason. The
/// operator's change of one stage applies the same rule in the routing API.
/// </summary>
public static class ProtectedStages
{
    /// <summary>The stages protected before or after the change whose route differs, in order.</summary>
    public static IReadOnlyList<int> Changed(RoutingDocument before, RoutingDocument after) =>
        before.Stages.Keys.Union(after.Stages.Keys).Order()
            .Where(stage =>
            {
                var was = before.Stages.GetValueOrDefault(stage);
                var becomes = after.Stages.GetValueOrDefault(stage);
                return (was is { Protected: true } || becomes is { Protected: true }) && was != becomes;
            })
            .ToList();

    /// <summary>An approval counts only with a reason: the history has to say why the protection was set aside.</summary>
    public static bool IsApproved(bool approved, string? reason) => approved && !string.IsNullOrWhiteSpace(reason);
}

/// <summary>A change that would touch protected stages without approval; nothing was written.</summary>
public sealed class ProtectedStageException(IReadOnlyList<int> stages)
    : InvalidOperationException($"Protected stage {string.Join(", ", stages)} would change: that needs \"approved\": true and a reason. Nothing was changed.")
{
    public IReadOnlyList<int> Stages { get; } = stages;
}
