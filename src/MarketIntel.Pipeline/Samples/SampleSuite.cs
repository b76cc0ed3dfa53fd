using System.Text.Json;
using System.Text.Json.Serialization;
using MarketIntel.Pipeline.Profiles;

namespace MarketIntel.Pipeline.Samples;

/// <summary>One sample business: a display name, its profile and its offer preferences.</summary>
public sealed record SampleProfile(string Name, BusinessProfile Profile, OfferPreferences Preferences)
{
    /// <summary>The file name without extension, for test case names.</summary>
    [JsonIgnore]
    public string Id { get; init; } = "";

    public override string ToString() => Id.Length > 0 ? Id : Name;
}

/// <summary>
/// The sample businesses shipped in <c>Samples/*.json</c> (copied beside the assembly): one per market category, used by
/// demos, end-to-end runs and the emulator agreement tests.
/// </summary>
public static class SampleSuite
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Samples");

    /// <summary>Every sample, ordered by file name.</summary>
    public static IReadOnlyList<SampleProfile> LoadAll() => LoadAll(Directory);

    public static IReadOnlyList<SampleProfile> LoadAll(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToList();

    public static SampleProfile Load(string path)
    {
        var sample = JsonSerializer.Deserialize<SampleProfile>(File.ReadAllText(path), PipelineJson.Options)
            ?? throw new InvalidDataException($"The sample {path} is empty.");
        if (sample.Profile is null || sample.Preferences is null || string.IsNullOrWhiteSpace(sample.Name))
        {
            throw new InvalidDataException($"The sample {path} needs a name, a profile and preferences.");
        }
        return sample with { Id = Path.GetFileNameWithoutExtension(path) };
    }

    /// <summary>The sample whose file name (without extension) is <paramref name="id"/>.</summary>
    public static SampleProfile Get(string id) => Load(Path.Combine(Directory, id + ".json"));
}
