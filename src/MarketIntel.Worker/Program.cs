using MarketIntel.Storage;
using MarketIntel.Worker;
using Microsoft.AspNetCore.Builder;

// A web host only for the probes: /health (Redis reachable) and /alive, on the port the environment gives
// (ASPNETCORE_HTTP_PORTS=8080 in the images, one port per replica from the AppHost). The worker serves nothing else.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMarketIntelDefaults();
builder.AddMarketIntelStorage();
builder.AddMarketIntelWorker();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
