using AvLedger.Core.Data;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Cli;

static class ScrubCommand
{
    public static async Task<int> RunAsync(string dataDir, CancellationToken ct)
    {
        if (!Directory.Exists(dataDir))
        {
            await Console.Error.WriteLineAsync($"数据目录不存在 / no such data dir: {dataDir}");
            return 2;
        }
        await using var app = ServeCommand.Build(dataDir, "http://127.0.0.1:0");
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var vault = scope.ServiceProvider.GetRequiredService<RecordVault>();
        var records = await db.Records.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.Id, r.Sha256, r.FileName }).ToListAsync(ct);
        var damaged = 0;
        var index = 0;
        foreach (var record in records)
        {
            if (++index % 100 == 0) await Console.Error.WriteLineAsync($"{index}/{records.Count}");
            var result = await vault.ScrubAsync(RecordVault.OriginalKey(record.Sha256), ct);
            if (result.Intact) continue;
            damaged++;
            Console.WriteLine($"DAMAGED record {record.Id} ({record.FileName}): {result.Problem}");
        }
        Console.WriteLine(damaged == 0
            ? $"全部完好 / all intact: {records.Count} records checked"
            : $"发现损坏 / damage found: {damaged} of {records.Count} records");
        return damaged == 0 ? 0 : 1;
    }
}
