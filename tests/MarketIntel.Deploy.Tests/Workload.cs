namespace MarketIntel.Deploy.Tests;

/// <summary>A service as a deployment file describes it: the environment variable names it sets and how they get a value.</summary>
/// <param name="Environment">Variable name → true when its value comes from a secret store or an interpolated variable rather than a literal.</param>
public sealed record Workload(string Name, IReadOnlyDictionary<string, bool> Environment, int? Replicas);
