namespace MarketIntel.Bench.App;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile: a value that was actually measured, never an interpolation between two.</summary>
    public static double Of(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static double Median(IReadOnlyCollection<double> values) => Of(values, 50);
}
