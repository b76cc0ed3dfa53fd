using System.Security.Cryptography;
using System.Text;

namespace MarketIntel.Pipeline.Routing;

/// <summary>Chooses the model of a stage call. The candidate share is sticky: a job always lands in the same bucket.</summary>
public static class RouteSelector
{
    public static (string Model, RouteKind Kind) Choose(StageRoute route, string jobId, int stage)
    {
        if (route.Candidate is { Length: > 0 } candidate && route.CandidateShare > 0
            && Bucket(jobId, stage) < route.CandidateShare)
        {
            return (candidate, RouteKind.Candidate);
        }
        return (route.Stable, RouteKind.Stable);
    }

    /// <summary>A stable number in 0-99 for this job and stage.</summary>
    public static int Bucket(string jobId, int stage)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{jobId}:{stage}"), hash);
        return (int)(BitConverter.ToUInt32(hash) % 100);
    }
}
