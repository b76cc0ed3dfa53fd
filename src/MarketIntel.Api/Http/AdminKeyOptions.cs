using System.Text.RegularExpressions;

namespace MarketIntel.Api.Http;

/// <summary>
/// Who may use the admin routes (configuration section <c>Admin</c>). Each operator has a name and a key; the
/// configuration holds only the key's SHA-256 (<c>Admin:Operators:&lt;name&gt; = sha256:&lt;64 hex digits&gt;</c>), so a
/// leaked configuration gives no key away. The single key of earlier versions, <c>Admin:ApiKey</c> (the AppHost passes its
/// secret parameter <c>admin-api-key</c>), still works as the operator named <see cref="LegacyOperator"/>. Validated on
/// start: without any key the api does not start rather than run unprotected.
/// </summary>
public sealed partial class AdminKeyOptions
{
    public const string SectionName = "Admin";

    /// <summary>The name the history gives to whoever uses <see cref="ApiKey"/>.</summary>
    public const string LegacyOperator = "admin";

    public const string HashPrefix = "sha256:";

    /// <summary>Secret: never logged, never echoed. Optional once <see cref="Operators"/> names someone.</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>Operator name → <c>sha256:</c> + the hex SHA-256 of the UTF-8 key.</summary>
    public Dictionary<string, string> Operators { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Everything wrong with the configuration, in words; empty when it is usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(ApiKey) && Operators.Count == 0)
        {
            yield return "Admin:ApiKey or Admin:Operators must give at least one key for the admin routes.";
        }
        foreach (var (name, hash) in Operators)
        {
            if (!OperatorName().IsMatch(name))
            {
                yield return $"Admin:Operators: the name \"{name}\" must be 1-100 letters, digits or . _ @ + -.";
            }
            if (!KeyHash().IsMatch(hash ?? ""))
            {
                yield return $"Admin:Operators:{name} must be \"{HashPrefix}\" followed by the 64 hex digits of the key's SHA-256.";
            }
        }
    }

    /// <summary>Hides the key from anything that prints the options object (the hashes are not secrets, but say nothing useful).</summary>
    public override string ToString() => $"{nameof(AdminKeyOptions)} {{ ApiKey = ***, Operators = {string.Join(", ", Operators.Keys)} }}";

    [GeneratedRegex(@"^[A-Za-z0-9._@+\-]{1,100}$")]
    private static partial Regex OperatorName();

    [GeneratedRegex(@"^sha256:[0-9A-Fa-f]{64}$")]
    private static partial Regex KeyHash();
}
