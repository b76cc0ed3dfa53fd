using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MarketIntel.ModelEmulator.Tests;

public sealed class LatencyAndOptionsTests
{
    private static string Prompt => $"## The business\n{Requests.BusinessProfile}";

    private static ChatRequest Request(string model, JsonObject? schema = null) =>
        ChatRequest.Parse(Requests.Chat(model, Prompt, schema ?? Requests.SmallSchema()), out _)!;

    private static ChatEmulator Emulator(double scale)
    {
        var options = Options.Create(new EmulatorOptions { LatencyScale = scale, Seed = 1 });
        return new ChatEmulator(new EmulatorRandom(options), new EmulatorStats(), options);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    public void The_delay_is_time_to_first_token_plus_tokens_over_speed_times_the_scale(double scale)
    {
        var profile = new ModelProfile { TimeToFirstTokenMs = 800, TokensPerSecond = 40 };
        var answer = Assert.IsType<AnswerDecision>(Emulator(scale).Decide(Request(Requests.Model), profile));
        var expected = (800 + answer.Usage.CompletionTokens / 40.0 * 1000) * scale;
        Assert.Equal(expected, answer.Delay.TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Fp8_fast_is_faster_than_llama_31_with_the_default_profiles()
    {
        using var factory = new EmulatorFactory();
        var store = factory.Services.GetRequiredService<ProfileStore>();
        var baseline = store.Get("@cf/meta/llama-3.1-70b-instruct");
        var fast = store.Get("@CF/META/LLAMA-3.1-70B-INSTRUCT-FP8-FAST");
        double Seconds(ModelProfile p) => (p.TimeToFirstTokenMs + 1500 / p.TokensPerSecond * 1000) / 1000;
        var speedUp = 1 - Seconds(fast) / Seconds(baseline);
        Assert.InRange(speedUp, 0.10, 0.20);
        Assert.Equal(24000, store.Get("some/unknown-model").ContextWindow);
    }

    [Fact]
    public async Task Delays_run_on_the_injected_time_provider()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = new EmulatorFactory().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Emulator:LatencyScale", "1");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time));
        });
        var pending = Requests.PostAsync(factory.CreateClient(), Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()));
        await Task.Delay(200);
        Assert.False(pending.IsCompleted, "the answer waits for the simulated model");

        // The request may not have started its delay yet on a busy machine: keep moving the fake clock until it answers.
        for (var i = 0; i < 600 && !pending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMinutes(2));
            await Task.WhenAny(pending, Task.Delay(50));
        }
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Invalid_configuration_stops_the_emulator_from_starting()
    {
        using var factory = new EmulatorFactory().WithWebHostBuilder(builder =>
            builder.UseSetting("Emulator:Profiles:broken-model:Http500Rate", "1.5"));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Http500Rate", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_profile_header_changes_only_what_it_names()
    {
        using var factory = new EmulatorFactory();
        // Llama 3.3 keeps its schema-size failure when the header only adds a 429 rate of 0.
        using var response = await Requests.PostAsync(factory.CreateClient(),
            Requests.Chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", Prompt, Requests.FlatSchema(41)), """{"http429Rate": 0}""");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }
}
