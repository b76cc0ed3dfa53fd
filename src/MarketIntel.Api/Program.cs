using MarketIntel.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketIntelApi();

var app = builder.Build();
app.MapMarketIntelApi();
app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
