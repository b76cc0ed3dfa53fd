using MarketIntel.Cli;

return await CliApp.Create().RunAsync(args);
