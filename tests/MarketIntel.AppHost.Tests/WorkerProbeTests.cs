using Aspire.Hosting.ApplicationModel;
using System.Net;

namespace MarketIntel.AppHost.Tests;

/// <summary>
/// Every worker replica serves the orchestrator's probes on a port of its own: the AppHost waits for a healthy worker
/// before the api, and a container platform probes each worker.
/// </summary>
[Collection(AppCollection.Name)]
public class WorkerProbeTests(AppFixture app)
{
    [Fact]
    public async Task Each_of_the_two_worker_replicas_answers_health_and_alive_on_its_own_port()
    {
        var urls = await ReplicaUrlsAsync("worker", replicas: 2);

        Assert.Equal(2, urls.Distinct().Count());
        using var http = new HttpClient();
        foreach (var url in urls)
        {
            foreach (var path in new[] { "/health", "/alive" })
            {
                var probe = new Uri(url, path);
                using var response = await http.GetAsync(probe);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe}: {(int)response.StatusCode}");
                Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
            }
        }
    }

    /// <summary>The address each running replica listens on (Aspire gives it in ASPNETCORE_URLS), not the shared proxy's.</summary>
    private async Task<List<Uri>> ReplicaUrlsAsync(string resource, int replicas)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var urls = new Dictionary<string, Uri>();
        await foreach (var e in app.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            var listening = e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value;
            if (e.Resource.Name == resource && e.Snapshot.State?.Text == KnownResourceStates.Running && listening is not null)
            {
                urls[e.ResourceId] = new Uri(listening);
                if (urls.Count == replicas)
                {
                    break;
                }
            }
        }
        return [.. urls.Values];
    }
}
