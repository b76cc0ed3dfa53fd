// MarketIntel.ModelEmulator is a TEST DOUBLE for Cloudflare Workers AI, not a model. It serves the OpenAI-compatible chat
// completions API so the real provider code runs offline, answers JSON stages with an instance of the request's schema and
// stage 6 with a Markdown report that follows the requested outline, and injects the latency and failures of each model's
// profile (appsettings.json, Emulator section; /admin endpoints at run time).
using MarketIntel.ModelEmulator;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddModelEmulator();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapChatCompletions();
app.MapEmulatorAdmin();
app.Run();

/// <summary>The emulator's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
