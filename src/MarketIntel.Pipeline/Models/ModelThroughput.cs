using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Models;

/// <summary>
/// A model's speed as the catalogue states it (docs/real-speed.md): what is typical, used for estimates, and the floors
/// below which a call is deemed stuck, used for timeouts. Figures for Workers AI come from the original's stage logs.
/// </summary>
public sealed record ModelThroughput
{
    /// <summary>Usual wait for the first token, prompt processing included.</summary>
    [Range(0.0, 600.0)]
    public double FirstTokenSeconds { get; init; } = 1.0;

    /// <summary>Usual generation speed.</summary>
    [Range(0.1, 100_000.0)]
    public double TokensPerSecond { get; init; } = 40;

    /// <summary>Longest wait for the first token before the attempt counts as failed (a queue at the provider included).</summary>
    [Range(1.0, 600.0)]
    public double MaxFirstTokenSeconds { get; init; } = 30;

    /// <summary>Slowest generation still accepted: the total ceiling of an attempt is derived from it.</summary>
    [Range(0.1, 100_000.0)]
    public double MinTokensPerSecond { get; init; } = 10;

    /// <summary>Longest silence between two chunks of a stream before it counts as stalled.</summary>
    [Range(1.0, 600.0)]
    public double MaxIdleSeconds { get; init; } = 20;
}

/// <summary>The three limits of one model call: to the first chunk, between chunks, and in all.</summary>
public sealed record CallTimeouts(TimeSpan FirstToken, TimeSpan Idle, TimeSpan Total)
{
    /// <summary>
    /// Limits that fit the work: the first-token allowance plus the whole output budget at the model's slowest accepted
    /// speed. A stage's route may set the total itself (<paramref name="totalSecondsOverride"/>); the first-token limit
    /// never exceeds the total.
    /// </summary>
    public static CallTimeouts For(ModelSpec model, int maxOutputTokens, int? totalSecondsOverride = null)
    {
        var speed = model.Throughput;
        var total = totalSecondsOverride is { } seconds
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(Math.Ceiling(speed.MaxFirstTokenSeconds + maxOutputTokens / speed.MinTokensPerSecond));
        var firstToken = TimeSpan.FromSeconds(speed.MaxFirstTokenSeconds);
        return new CallTimeouts(firstToken < total ? firstToken : total, TimeSpan.FromSeconds(speed.MaxIdleSeconds), total);
    }

    /// <summary>How long <paramref name="outputTokens"/> usually take on <paramref name="model"/> (estimates, not limits).</summary>
    public static TimeSpan Typical(ModelSpec model, int outputTokens) =>
        TimeSpan.FromSeconds(model.Throughput.FirstTokenSeconds + outputTokens / model.Throughput.TokensPerSecond);
}
