using System.Diagnostics;
using System.Text;

namespace MarketIntel.Deploy.Tests;

/// <summary>Runs a command from the checkout's root and collects its output.</summary>
public static class Processes
{
    /// <param name="Output">Standard output and error together, in arrival order, as a terminal would show them.</param>
    public sealed record Result(int ExitCode, string Output, string StandardOutput);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = MarketIntel.Testing.RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); standardOutput.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString(), standardOutput.ToString());
        }
    }

    /// <summary><c>eng/containers.sh</c> with <paramref name="steps"/>.</summary>
    public static Task<Result> ContainersAsync(IDictionary<string, string>? environment, params string[] steps) =>
        RunAsync("bash", ["eng/containers.sh", .. steps], environment);
}
