using System.Text.Json;

namespace MarketIntel.Testing;

/// <summary>Figures the reliability tests leave in artifacts/reliability/ (git-ignored) for the docs to quote.</summary>
public static class Artifacts
{
    public static void Write(string name, object figures)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MarketIntel.sln")))
        {
            directory = directory.Parent;
        }
        var folder = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "reliability");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
    }
}
