namespace MarketIntel.Worker.Models;

/// <summary>
/// A streamed answer that did not arrive: no first chunk in time, a silence between chunks, or a connection that broke
/// after the answer had started. <see cref="Started"/> tells the two apart: a stream that never started is retried like
/// any transient failure; one that broke part-way has already been shown to the caller, so the attempt fails and the
/// stage runner decides (docs/real-speed.md).
/// </summary>
public sealed class ModelStreamException(string reason, bool started, Exception? inner = null) : Exception(reason, inner)
{
    public bool Started { get; } = started;

    public static ModelStreamException NoFirstToken(TimeSpan limit) =>
        new($"no first token within {limit.TotalSeconds:0.#} s", started: false);

    public static ModelStreamException Stalled(TimeSpan limit, int chunks) =>
        new($"stream stalled: no chunk for {limit.TotalSeconds:0.#} s after {chunks} chunks", started: true);

    public static ModelStreamException Broken(int chunks, Exception inner) =>
        new($"stream broke after {chunks} chunks ({ModelCallErrors.Describe(inner)})", started: true, inner);
}
