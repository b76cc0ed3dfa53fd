using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace MarketIntel.Testing;

/// <summary>
/// A real redis-server on a free loopback port, for integration tests (installed by eng/prerequisites.sh). Each fixture
/// gets its own process and data directory, so test classes never see each other's keys.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;
    private readonly string _directory = Directory.CreateTempSubdirectory("marketintel-redis-").FullName;

    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>For the test's own connection: admin commands (FLUSHDB) allowed.</summary>
    private string AdminConnectionString => ConnectionString + ",allowAdmin=true";

    public IConnectionMultiplexer? Connection { get; private set; }

    public async Task InitializeAsync()
    {
        Port = FreePort();
        _process = Start(Port, _directory);
        Connection = await ConnectAsync(AdminConnectionString);
    }

    /// <summary>Kills the server (as a crash would) and starts it again on the same port and append-only file.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await Task.Delay(downtime);
        _process = Start(Port, _directory);
        await WaitUntilReadyAsync();
    }

    public async Task FlushAsync() => await Connection!.GetServer("127.0.0.1", Port).FlushDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static Process Start(int port, string directory)
    {
        var start = new ProcessStartInfo("redis-server",
            $"--port {port} --bind 127.0.0.1 --dir {directory} --appendonly yes --appendfsync always --save \"\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; run eng/prerequisites.sh.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await Connection!.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("redis-server did not come back.");
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(connectionString);
                await connection.GetDatabase().PingAsync();
                return connection;
            }
            catch (RedisException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
