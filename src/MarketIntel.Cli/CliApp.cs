using Spectre.Console.Cli;

namespace MarketIntel.Cli;

/// <summary>The command tree: <c>eval run</c> and <c>eval compare</c>.</summary>
public static class CliApp
{
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("marketintel");
            config.PropagateExceptions();
            config.AddBranch("eval", eval =>
            {
                eval.SetDescription("Evaluate a model upgrade: baseline vs candidate.");
                eval.AddCommand<EvalRunCommand>("run")
                    .WithDescription("Run the sample suite on a routing through the API; write the result JSON and reports.")
                    .WithExample("eval", "run", "--api", "http://localhost:5080", "--routing", "active", "--trials", "3", "--out", "evaluations");
                eval.AddCommand<EvalCompareCommand>("compare")
                    .WithDescription("Compare two result files offline; exit code 0 pass, 1 fail, 2 inconclusive.")
                    .WithExample("eval", "compare", "evaluations/baseline-2025-01-26.json", "evaluations/phase-1-2025-01-27.json");
            });
        });
        return app;
    }
}
