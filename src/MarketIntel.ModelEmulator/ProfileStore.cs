using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MarketIntel.ModelEmulator;

/// <summary>The profiles in force: those from configuration, replaced per model at run time by the admin API.</summary>
public sealed class ProfileStore(IOptions<EmulatorOptions> options)
{
    private readonly ConcurrentDictionary<string, ModelProfile> _overrides = new(StringComparer.OrdinalIgnoreCase);

    private EmulatorOptions Options => options.Value;

    public ModelProfile Get(string model)
    {
        if (_overrides.TryGetValue(model, out var profile))
        {
            return profile;
        }
        foreach (var (id, configured) in Options.Profiles)
        {
            if (string.Equals(id, model, StringComparison.OrdinalIgnoreCase))
            {
                return configured;
            }
        }
        return Options.DefaultProfile;
    }

    public void Set(string model, ModelProfile profile) => _overrides[model] = profile;

    public void Reset() => _overrides.Clear();

    /// <summary>Every known profile by model id, with the default one under <c>default</c>.</summary>
    public IReadOnlyDictionary<string, ModelProfile> All()
    {
        var all = new SortedDictionary<string, ModelProfile>(StringComparer.OrdinalIgnoreCase) { ["default"] = Options.DefaultProfile };
        foreach (var (id, profile) in Options.Profiles)
        {
            all[id] = profile;
        }
        foreach (var (id, profile) in _overrides)
        {
            all[id] = profile;
        }
        return all;
    }
}
