using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace AvLedger.Cli;

static class ServeCommand
{
    public static WebApplication Build(string dataDir, string urls, IEnumerable<string>? extra = null) =>
        AvLedgerApp.Build([.. extra ?? [], "--urls", urls, "--AvLedger:DataDir", Path.GetFullPath(dataDir)]);

    public static async Task<int> RunAsync(string dataDir, string urls, IReadOnlyList<string> extra, CancellationToken ct)
    {
        await using var app = Build(dataDir, urls, extra);
        await app.StartAsync(ct);
        Console.WriteLine($"AvLedger 已启动 / listening on {urls} (data: {Path.GetFullPath(dataDir)})");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }
}
