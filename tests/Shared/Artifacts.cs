using System.Text.Json;

namespace MarketIntel.Testing;

/// <summary>Figures the reliability tests leave in artifacts/reliability/ (git-ignored) for the docs to quote.</summary>
public static class Artifacts
{
    public static void Write(string name, object figures)
    {
        var folder = RepositoryPaths.Artifacts("reliability");
        File.WriteAllText(Path.Combine(folder, name), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
    }
}
