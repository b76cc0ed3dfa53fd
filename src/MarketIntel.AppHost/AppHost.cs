var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure
var redis = builder.AddMarketIntelRedis("redis");
var workersAiAccountId = builder.AddParameter("workers-ai-account-id");
var workersAiApiToken = builder.AddParameter("workers-ai-api-token", secret: true);

// Services
var emulator = builder.AddProject<Projects.MarketIntel_ModelEmulator>("model-emulator")
    .WithEnvironment("Emulator__LatencyScale", builder.Configuration["MarketIntel:EmulatorLatencyScale"] ?? "0.02");

var worker = builder.AddProject<Projects.MarketIntel_Worker>("worker")
    .WithReplicas(builder.Configuration.GetValue("MarketIntel:WorkerReplicas", 2))
    .WithEnvironment("Providers__workers-ai__AccountId", workersAiAccountId)
    .WithEnvironment("Providers__workers-ai__ApiToken", workersAiApiToken)
    .WithReference(redis).WaitFor(redis)
    .WithReference(emulator).WaitFor(emulator);

builder.AddProject<Projects.MarketIntel_Api>("api")
    .WithEnvironment("Admin__ApiKey", builder.AddParameter("admin-api-key", secret: true))
    .WithReference(redis).WaitFor(redis)
    .WaitFor(worker)
    .WithExternalHttpEndpoints();

builder.Build().Run();
