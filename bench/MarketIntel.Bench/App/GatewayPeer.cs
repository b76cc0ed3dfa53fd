using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MarketIntel.Bench.App;

/// <summary>The per-call cost of one gateway mode: the same request straight to the emulator and through the gateway.</summary>
internal sealed record GatewayFigures(string Mode, IReadOnlyList<double> DirectMs, IReadOnlyList<double> GatewayMs)
{
    /// <summary>Gateway minus direct, call by call: each pair ran back to back, so both saw the same machine load.</summary>
    public IReadOnlyList<double> DifferenceMs => GatewayMs.Zip(DirectMs, (gateway, direct) => gateway - direct).ToList();
}

/// <summary>
/// The peer for our orchestration overhead: an off-the-shelf OpenAI-compatible gateway (Portkey's open-source gateway
/// from npm, pinned in bench/gateway/package.json) run locally in front of the same emulator. What it adds to one chat
/// completion is what any gateway between a caller and the model costs; our worker adds its own per stage.
/// </summary>
internal sealed class GatewayPeer : IAsyncDisposable
{
    private const string Model = "@cf/meta/llama-3.1-70b-instruct";
    /// <summary>About a median stage's answer: the emulator writes a report-like text and stops at the budget, so every
    /// call returns the same number of tokens (and, streaming, of chunks).</summary>
    private const int MaxTokens = 1000;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ServiceProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _direct;
    private readonly Uri _gateway;
    private readonly string _emulatorBase;

    private GatewayPeer(ServiceProcess process, Uri emulator, int port)
    {
        _process = process;
        _emulatorBase = new Uri(emulator, "/v1").ToString();
        _direct = new Uri(emulator, "/v1/chat/completions");
        _gateway = new Uri($"http://127.0.0.1:{port}/v1/chat/completions");
    }

    /// <summary>The gateway's folder: package.json and its lock file are committed; node_modules is not.</summary>
    private static string Folder => Path.Combine(RunningApp.RepositoryRoot, "bench", "gateway");

    private static string Server => Path.Combine(Folder, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js");

    /// <summary>Starts the gateway in front of <paramref name="emulator"/>, installing it first with <c>npm ci</c> when
    /// node_modules lacks it; null with the reason when node or npm is missing, so the rest of the benchmark still runs.</summary>
    public static async Task<(GatewayPeer? Peer, string? Skipped)> StartAsync(Uri emulator)
    {
        if (!OnPath("node") || !OnPath("npm"))
        {
            return (null, "node and npm are needed to run the gateway; not found on PATH");
        }
        if (!File.Exists(Server))
        {
            await InstallAsync();
        }
        var port = ServiceProcess.FreePort();
        // --headless: no web UI. The gateway listens on every interface (it has no option to bind one); the benchmark
        // only ever calls it on loopback, and it lives as long as the scenario.
        var process = ServiceProcess.Start("gateway", "node", [Server, $"--port={port}", "--headless"], Folder,
            new Dictionary<string, string> { ["NODE_ENV"] = "production" }, "Ready for connections");
        var peer = new GatewayPeer(process, emulator, port);
        try
        {
            await process.WaitReadyAsync(StartTimeout);
            return (peer, null);
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary><paramref name="calls"/> pairs per mode (non-streaming, then streaming), each pair one call straight to
    /// the emulator and one through the gateway, in alternating order; <paramref name="warmupCalls"/> pairs first are not
    /// counted (JIT on our side, V8 and connection pools on the gateway's).</summary>
    public async Task<IReadOnlyList<GatewayFigures>> MeasureAsync(int calls, int warmupCalls)
    {
        var figures = new List<GatewayFigures>();
        foreach (var stream in new[] { false, true })
        {
            var direct = new List<double>();
            var gateway = new List<double>();
            for (var i = 0; i < warmupCalls + calls; i++)
            {
                // Alternate which goes first, so neither side always follows the other's garbage or cache effects.
                var directFirst = i % 2 == 0;
                var first = await CallAsync(directFirst ? _direct : _gateway, stream);
                var second = await CallAsync(directFirst ? _gateway : _direct, stream);
                if (i >= warmupCalls)
                {
                    direct.Add(directFirst ? first : second);
                    gateway.Add(directFirst ? second : first);
                }
            }
            figures.Add(new GatewayFigures(stream ? "streaming" : "non-streaming", direct, gateway));
        }
        return figures;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    /// <summary>One chat completion read to its end (the last SSE event when streaming); milliseconds from sending it.</summary>
    private async Task<double> CallAsync(Uri target, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = Model,
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = "Write a short market note on premium executive coaching for founders.",
            }),
            ["max_tokens"] = MaxTokens,
            ["stream"] = stream,
        };
        if (stream)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (target == _gateway)
        {
            // Portkey's way to reach any OpenAI-compatible server: the openai provider with a custom host.
            request.Headers.Add("x-portkey-provider", "openai");
            request.Headers.Add("x-portkey-custom-host", _emulatorBase);
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bench");
        var clock = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        // A fast error page would look like a fast gateway: only complete answers count.
        var complete = response.IsSuccessStatusCode && (stream ? text.Contains("data: [DONE]", StringComparison.Ordinal) : text.Contains("\"choices\"", StringComparison.Ordinal));
        if (!complete)
        {
            throw new InvalidOperationException($"{target} answered {(int)response.StatusCode} without a complete answer: {text[..Math.Min(text.Length, 500)]}");
        }
        return elapsed;
    }

    private static async Task InstallAsync()
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {Folder} failed ({npm.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
