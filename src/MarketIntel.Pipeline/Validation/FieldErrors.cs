namespace MarketIntel.Pipeline.Validation;

/// <summary>Errors keyed by the JSON path of the field they concern, in the shape of RFC 7807 validation problems.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void AddRange(FieldErrors other, string prefix = "")
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(prefix + field, message);
            }
        }
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>Field rules shared by the profile and the offer preferences (the same rules the web form applies).</summary>
public static class FieldRules
{
    public static void Text(FieldErrors errors, string field, string? value, bool required, int maxLength, int minLength = 0)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            if (required)
            {
                errors.Add(field, "is required.");
            }
            return;
        }
        if (trimmed.Length < minLength)
        {
            errors.Add(field, $"must be at least {minLength} characters (got {trimmed.Length}).");
        }
        if (value!.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters (got {value.Length}).");
        }
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            errors.Add(field, "must not contain control characters.");
        }
    }

    public static void OneOf(FieldErrors errors, string field, string? value, IReadOnlyCollection<string> allowed, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, $"is required; one of: {string.Join(", ", allowed)}.");
            }
            return;
        }
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            errors.Add(field, $"'{Truncate(value)}' is not allowed; one of: {string.Join(", ", allowed)}.");
        }
    }

    /// <summary>Echoing user input into an error is useful, echoing a megabyte of it is not.</summary>
    public static string Truncate(string value, int max = 40) => value.Length <= max ? value : value[..max] + "…";
}
