using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MarketIntel.Pipeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Http;

/// <summary>
/// Reads a JSON request body with field-level errors (RFC 7807 validation problems) instead of the framework's
/// generic "failed to read parameter": wrong types, unknown fields, invalid UTF-8 and excessive nesting are reported
/// with the path of the offending field. The body size is bounded by Kestrel's request limit.
/// </summary>
public static class JsonBody
{
    public const int MaxDepth = 16;

    private static readonly JsonSerializerOptions Options = new(PipelineJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Largest JSON body read; a profile with every field at its maximum is about 60 KB.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problem("body", "The request body must be JSON (Content-Type: application/json)."));
        }
        var body = await ReadBoundedAsync(request, cancellationToken);
        if (body is null)
        {
            return (null, TypedResults.Problem(
                $"The request body is larger than {MaxBodyBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large."));
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(body.AsSpan(), Options);
            return value is null ? (null, Problem("body", "The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problem(FieldOf(e.Path), Describe(e)));
        }
        catch (NotSupportedException e)
        {
            return (null, Problem("body", e.Message));
        }
    }

    /// <summary>A body that must be one JSON object of any shape (a stage output); its schema is checked by the caller.</summary>
    public static async Task<(JsonObject? Value, ProblemHttpResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problem("body", "The request body must be JSON (Content-Type: application/json)."));
        }
        var body = await ReadBoundedAsync(request, cancellationToken);
        if (body is null)
        {
            return (null, TypedResults.Problem(
                $"The request body is larger than {MaxBodyBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large."));
        }
        try
        {
            var node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            return node is JsonObject value ? (value, null) : (null, Problem("body", "The request body must be a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, Problem("body", Describe(e)));
        }
    }

    public static ProblemHttpResult Problem(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, "The request is invalid.");

    /// <summary>A 400 validation problem (RFC 7807 with an <c>errors</c> map keyed by field path).</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = title });

    /// <summary>The body as bytes, or null when it exceeds <see cref="MaxBodyBytes"/>; never buffers more than that.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>"$.profile.business_name" → "profile.business_name"; the whole body when there is no path.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "Unknown field.";
        }
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"The JSON is nested deeper than {MaxDepth} levels.";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "Wrong type for this field.";
        }
        if (e.InnerException is InvalidOperationException or FormatException || message.Contains("invalid", StringComparison.OrdinalIgnoreCase))
        {
            return "The body is not valid JSON (or not valid UTF-8) at this point.";
        }
        return "The body is not valid JSON.";
    }
}
