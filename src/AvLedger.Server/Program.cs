using AvLedger.Server.Hosting;

var app = AvLedgerApp.Build(args);
await app.RunAsync();

/// <summary>Entry point, also the anchor for WebApplicationFactory in tests.</summary>
public partial class Program;
