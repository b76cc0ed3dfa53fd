namespace MarketIntel.Testing;

/// <summary>Places in the checkout the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder of MarketIntel.sln above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>artifacts/&lt;name&gt;</c> (git-ignored), created if missing.</summary>
    public static string Artifacts(string name)
    {
        var folder = Path.Combine(Root, "artifacts", name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Where <paramref name="assembly"/> of the project in <paramref name="projectFolder"/> (e.g. <c>src/MarketIntel.Worker</c>)
    /// is built in the test's own configuration and framework: the solution build puts it there.</summary>
    public static string BuildOutput(string projectFolder, string assembly)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Root, projectFolder, "bin", output.Parent!.Name, output.Name, assembly);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MarketIntel.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("MarketIntel.sln not found above " + AppContext.BaseDirectory);
    }
}
