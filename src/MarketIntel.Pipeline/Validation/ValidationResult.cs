namespace MarketIntel.Pipeline.Validation;

/// <summary>The verdict on one stage output: valid iff no errors; the score weighs errors and warnings per stage.</summary>
public sealed record ValidationResult(
    int Stage,
    string StageName,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    int QualityScore,
    ValidationMetrics Metrics)
{
    public bool IsValid => Errors.Count == 0;
}

public sealed record ValidationMetrics(int FieldCount, int PlaceholderCount, int EmptyFieldCount, int ResponseLength, int? WordCount = null);

/// <summary>Per-stage weights of the quality score (docs/domain.md §3.5).</summary>
public readonly record struct ScoreWeights(int Error, int Warning)
{
    public static readonly ScoreWeights Generic = new(10, 5);

    /// <summary><c>max(0, 100 − errors×E − warnings×W)</c>.</summary>
    public int Score(int errors, int warnings) => Math.Max(0, 100 - errors * Error - warnings * Warning);
}

/// <summary>Collects findings while a validator walks an output, then turns them into a <see cref="ValidationResult"/>.</summary>
public sealed class ValidationBuilder(int stage, string stageName, ScoreWeights weights)
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];

    public int PlaceholderCount { get; private set; }
    public int EmptyFieldCount { get; private set; }
    public int FieldCount { get; set; }

    public IReadOnlyList<string> Errors => _errors;

    public void Error(string message) => _errors.Add(message);

    public void Warning(string message) => _warnings.Add(message);

    public void Empty(string path)
    {
        EmptyFieldCount++;
        _errors.Add($"{path} is missing or empty.");
    }

    public void Placeholder(string path, string found)
    {
        PlaceholderCount++;
        _errors.Add($"{path} contains a placeholder ('{FieldRules.Truncate(found)}').");
    }

    /// <summary>Checks a free-text field for emptiness and placeholders; returns whether it is usable.</summary>
    public bool Text(string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Empty(path);
            return false;
        }
        if (PlaceholderDetector.FindPlaceholder(value) is { } found)
        {
            Placeholder(path, found);
            return false;
        }
        return true;
    }

    public ValidationResult Build(int responseLength, int? wordCount = null) => new(
        stage,
        stageName,
        _errors.ToList(),
        _warnings.ToList(),
        weights.Score(_errors.Count, _warnings.Count),
        new ValidationMetrics(FieldCount, PlaceholderCount, EmptyFieldCount, responseLength, wordCount));
}
