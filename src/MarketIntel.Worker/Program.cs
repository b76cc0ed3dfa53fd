using MarketIntel.Storage;
using MarketIntel.Worker;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddMarketIntelDefaults();
builder.AddMarketIntelStorage();
builder.AddMarketIntelWorker();

builder.Build().Run();
