using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Ledger;

/// <summary>Checks the stored tree at start, then sequences pending leaves about once a second
/// (sooner when woken) and publishes a signed checkpoint for each new tree size.</summary>
public sealed class LedgerWorker(IServiceScopeFactory scopes, LedgerSignal signal, LedgerHealth health, ILogger<LedgerWorker> log)
    : SignalledWorker(signal, TimeSpan.FromMilliseconds(500), log)
{
    protected override Task StartingAsync(CancellationToken ct) => CheckAsync(ct);

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var sequencer = scope.ServiceProvider.GetRequiredService<LedgerSequencer>();
        if (await sequencer.SequenceBatchAsync(ct) is not { } size) return false;
        await scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>().PublishAsync(size, ct);
        return true;
    }

    async Task CheckAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var checkpoints = scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>();
        health.Problems = await checkpoints.CheckStoredTreeAsync(ct);
        foreach (var problem in health.Problems)
            log.LogCritical("LEDGER ALARM: the stored history disagrees with its last signed checkpoint: {Problem}", problem);
        if (await checkpoints.LatestAsync(ct) is null) await checkpoints.PublishAsync(await LedgerSequencer.TreeSizeAsync(db, ct), ct);
    }
}

/// <summary>Wakes the sequencer when a leaf is written.</summary>
public sealed class LedgerSignal : Hosting.Signal;
