using System.Net;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Worker.Models;
using Microsoft.Extensions.AI;
using OpenAI;
using System.ClientModel;
using System.ClientModel.Primitives;

namespace MarketIntel.Worker.Tests;

public class WireFormatTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Dump_stage2_request()
    {
        var handler = new CapturingHandler();
        var client = new OpenAIClient(new ApiKeyCredential("secret-token"), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://emulator.test/client/v4/accounts/acc/ai/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(handler)),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetChatClient("@cf/meta/llama-3.1-70b-instruct").AsIChatClient();
        var stage = StageCatalog.Get(2);
        var schema = System.Text.Json.JsonSerializer.SerializeToElement(stage.ResponseSchema);
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("hi", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "BuyerPsychology") }));
        output.WriteLine(handler.Body);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public string Body { get; private set; } = "";
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.InternalServerError);
        }
    }
}
