using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure
var redis = builder.AddMarketIntelRedis("redis");
var workersAiAccountId = builder.AddOptionalParameter("workers-ai-account-id");
var workersAiApiToken = builder.AddOptionalParameter("workers-ai-api-token", secret: true);
var adminApiKey = builder.AddOptionalParameter("admin-api-key", secret: true);

// Services
var emulator = builder.AddProject<Projects.MarketIntel_ModelEmulator>("model-emulator")
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Emulator__LatencyScale", builder.Configuration["MarketIntel:EmulatorLatencyScale"] ?? "0.02");

var worker = builder.AddProject<Projects.MarketIntel_Worker>("worker")
    .WithReplicas(builder.Configuration.GetValue("MarketIntel:WorkerReplicas", 2))
    .WithReplicasInManifest()
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Providers__workers-ai__AccountId", workersAiAccountId)
    .WithEnvironment("Providers__workers-ai__ApiToken", workersAiApiToken)
    .WithReference(redis).WaitFor(redis)
    .WithReference(emulator).WaitFor(emulator);

builder.AddProject<Projects.MarketIntel_Api>("api")
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Admin__ApiKey", adminApiKey)
    .WithReference(redis).WaitFor(redis)
    .WaitFor(worker)
    .WithExternalHttpEndpoints();

builder.Build().Run();
