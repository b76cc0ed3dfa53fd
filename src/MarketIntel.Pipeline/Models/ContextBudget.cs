namespace MarketIntel.Pipeline.Models;

/// <summary>
/// Fits a request into a model's context window (input and output share it). Fixes the original's stage 6 budget
/// (docs/domain.md §4.3, §9 D9): no floor that can overflow the window; a request that cannot fit fails before any call.
/// </summary>
public static class ContextBudget
{
    /// <summary>Characters per token for English prose and JSON with Llama-family tokenizers; errs on the high side.</summary>
    public const double CharactersPerToken = 3.5;

    /// <summary>Room for tokenizer error and chat-template overhead.</summary>
    public const int SafetyTokens = 500;

    public static int EstimateTokens(int characters) => (int)Math.Ceiling(characters / CharactersPerToken);

    /// <summary>Output tokens the model's window leaves beside a prompt of <paramref name="promptCharacters"/>.</summary>
    public static int AvailableOutputTokens(ModelSpec model, int promptCharacters) =>
        model.ContextWindow - EstimateTokens(promptCharacters) - SafetyTokens;

    /// <summary>
    /// The output tokens to request: the stage's wish, capped by the model's output limit and by what the window leaves.
    /// </summary>
    /// <exception cref="ContextBudgetExceededException">When less than <paramref name="minimumOutputTokens"/> would remain.</exception>
    public static int OutputTokens(ModelSpec model, int promptCharacters, int wantedOutputTokens, int minimumOutputTokens)
    {
        var available = AvailableOutputTokens(model, promptCharacters);
        var output = Math.Min(Math.Min(wantedOutputTokens, model.MaxOutputTokens), available);
        if (output < minimumOutputTokens)
        {
            throw new ContextBudgetExceededException(
                $"The request does not fit {model.Id}: about {EstimateTokens(promptCharacters)} input tokens leave {Math.Max(available, 0)} of its "
                + $"{model.ContextWindow}-token window, but the stage needs at least {minimumOutputTokens} output tokens.");
        }
        return output;
    }
}

public sealed class ContextBudgetExceededException(string message) : Exception(message);
