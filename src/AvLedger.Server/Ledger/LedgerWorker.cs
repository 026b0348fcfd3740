using AvLedger.Core.Data;
using AvLedger.Core.Ledger;

namespace AvLedger.Server.Ledger;

/// <summary>Checks the stored tree at start, then sequences pending leaves about once a second
/// (sooner when woken) and publishes a signed checkpoint for each new tree size.</summary>
public sealed class LedgerWorker(IServiceScopeFactory scopes, LedgerSignal signal, LedgerHealth health, ILogger<LedgerWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await CheckAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var scope = scopes.CreateScope();
                var sequencer = scope.ServiceProvider.GetRequiredService<LedgerSequencer>();
                var checkpoints = scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>();
                if (await sequencer.SequenceBatchAsync(stoppingToken) is { } size)
                {
                    await checkpoints.PublishAsync(size, stoppingToken);
                    continue;
                }
                await signal.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogError(e, "Ledger sequencing failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    async Task CheckAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var checkpoints = scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>();
        health.Problems = await checkpoints.CheckStoredTreeAsync(ct);
        health.Checked = true;
        foreach (var problem in health.Problems)
            log.LogCritical("LEDGER ALARM: the stored history disagrees with its last signed checkpoint: {Problem}", problem);
        if (await checkpoints.LatestAsync(ct) is null) await checkpoints.PublishAsync(await LedgerSequencer.TreeSizeAsync(db, ct), ct);
    }
}

/// <summary>Wakes the sequencer when a leaf is written.</summary>
public sealed class LedgerSignal : Hosting.Signal;
