using BenchmarkDotNet.Attributes;
using MarketIntel.Pipeline.Schema;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Bench.Micro;

/// <summary>
/// The pure work the worker does around each model call, per stage, on a realistic full job: building the prompt,
/// hashing the cache key, validating the answer (schema, rules, placeholders) and generating the schema.
/// </summary>
[MemoryDiagnoser]
public class StageBenchmarks
{
    private FullJobFixture _fixture = null!;
    private IStage _stage = null!;
    private string _output = "";

    [Params(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)]
    public int Stage { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = FullJobFixture.Create();
        _stage = StageCatalog.Get(Stage);
        _output = _fixture.Input.Outputs[Stage];
    }

    [Benchmark(Description = "build prompt")]
    public StagePrompt BuildPrompt() => _stage.BuildPrompt(_fixture.Input, FullJobFixture.Options);

    /// <summary>What the runner does before each call: canonical JSON of the stage's inputs, then SHA-256.</summary>
    [Benchmark(Description = "cache key")]
    public string CacheKey() =>
        StageCacheKey.Compute(_stage, "@cf/meta/llama-3.1-70b-instruct", _stage.DefaultMaxTokens, 0.7, FullJobFixture.Options,
            _fixture.Input.CanonicalInputsFor(_stage));

    [Benchmark(Description = "validate output")]
    public ValidationResult Validate() => _stage.Validate(_output, _fixture.Input);

    [Benchmark(Description = "find placeholders")]
    public int FindPlaceholders() => PlaceholderDetector.FindAll(_output).Count;

    /// <summary>Uncached: what the first use of a stage's schema costs (later uses copy the cached one).</summary>
    [Benchmark(Description = "generate schema")]
    public object? GenerateSchema() => OutputType(_stage) is { } type ? StageSchema.Generate(type) : null;

    private static Type? OutputType(IStage stage)
    {
        for (var type = stage.GetType(); type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(JsonStage<>))
            {
                return type.GetGenericArguments()[0];
            }
        }
        return null;
    }
}
