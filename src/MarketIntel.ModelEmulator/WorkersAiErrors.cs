namespace MarketIntel.ModelEmulator;

/// <summary>Error bodies as Workers AI sends them: <c>{"errors":[{"code":N,"message":"..."}],"success":false}</c>.</summary>
internal static class WorkersAiErrors
{
    public sealed record Error(int Code, string Message);

    public sealed record Body(IReadOnlyList<Error> Errors, bool Success = false);

    public static Body Capacity { get; } = Of(3040, "Capacity temporarily exceeded, please try again.");

    public static Body QuotaExhausted { get; } = Of(3036, "You have used up your daily free allocation of 10,000 neurons, please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.");

    public static Body InternalError { get; } = Of(3043, "Internal server error");

    public static Body ContextWindow { get; } = Of(5021, "The estimated number of input and maximum output tokens exceeded this model context window limit.");

    public static Body Authentication { get; } = Of(10000, "Authentication error");

    private static Body Of(int code, string message) => new([new Error(code, message)]);
}
