using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Server.Jobs;

namespace AvLedger.Server.Ledger;

/// <summary>Checks the stored tree before the server serves, then sequences pending leaves about once a
/// second (sooner when woken) and publishes a signed checkpoint for each new tree size, each proved
/// consistent with the last one signed. A disagreement raises the alarm and stops signing; sequencing
/// goes on, so no event is lost while an operator looks.</summary>
public sealed class LedgerWorker(IServiceScopeFactory scopes, LedgerSignal signal, LedgerHealth health, ILogger<LedgerWorker> log)
    : SignalledWorker(signal, TimeSpan.FromMilliseconds(500), log)
{
    // Hosted services start before Kestrel listens: /healthz never answers "ok" before the check.
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var sequencer = scope.ServiceProvider.GetRequiredService<LedgerSequencer>();
        if (await sequencer.SequenceBatchAsync(ct) is not { } size) return false;
        await PublishAsync(scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>(), size, ct);
        return true;
    }

    async Task PublishAsync(LedgerCheckpoints checkpoints, long size, CancellationToken ct)
    {
        if (health.Problems.Count > 0)
        {
            health.SizeNotSigned = size;
            return;
        }
        if ((await checkpoints.PublishAsync(size, ct)).Disagreement is { } disagreement)
        {
            log.LogCritical("LEDGER ALARM: the stored tree disagrees with the checkpoints this log signed: {Problem}", disagreement);
            health.Problems = [disagreement];
            health.SizeNotSigned = size;
        }
    }

    async Task CheckAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var checkpoints = scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>();
        health.Problems = await checkpoints.CheckStoredTreeAsync(ct);
        foreach (var problem in health.Problems)
            log.LogCritical("LEDGER ALARM: the stored history disagrees with its last signed checkpoint: {Problem}", problem);
        // Leaves sequenced just before a stop are signed now rather than with the next leaf.
        var size = await LedgerSequencer.TreeSizeAsync(db, ct);
        if ((await checkpoints.LatestAsync(ct))?.TreeSize != size) await PublishAsync(checkpoints, size, ct);
    }
}

/// <summary>Wakes the sequencer when a leaf is written.</summary>
public sealed class LedgerSignal : Signal;
