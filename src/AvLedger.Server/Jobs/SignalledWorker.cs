namespace AvLedger.Server.Jobs;

/// <summary>A background loop that does a round of work, then sleeps until its signal or the poll
/// interval; a failed round is logged and retried, so one bad row cannot stop the worker.</summary>
public abstract class SignalledWorker(Signal signal, TimeSpan pollInterval, ILogger log) : BackgroundService
{
    protected ILogger Log { get; } = log;

    /// <summary>Runs once before the loop (start-up checks, lease recovery).</summary>
    protected virtual Task StartingAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>One round; returns true when there may be more work right away.</summary>
    protected abstract Task<bool> RunRoundAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StartingAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RunRoundAsync(stoppingToken)) await signal.WaitAsync(pollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Log.LogError(e, "{Worker} round failed; retrying", GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
