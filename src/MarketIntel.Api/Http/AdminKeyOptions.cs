using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Api.Http;

/// <summary>
/// The API key of the admin routes (configuration <c>Admin:ApiKey</c>; the AppHost passes its secret parameter
/// <c>admin-api-key</c>). Validated on start: without a key the api does not start rather than run unprotected.
/// </summary>
public sealed class AdminKeyOptions
{
    public const string SectionName = "Admin";

    /// <summary>Secret: never logged, never echoed.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Admin:ApiKey is required (the key of the admin routes).")]
    public string ApiKey { get; init; } = "";

    /// <summary>Hides the key from anything that prints the options object.</summary>
    public override string ToString() => $"{nameof(AdminKeyOptions)} {{ ApiKey = *** }}";
}
