namespace AvLedger.Server.Jobs;

/// <summary>Wakes a background worker early; the worker still polls, so a lost pulse only delays.</summary>
public abstract class Signal : IDisposable
{
    readonly SemaphoreSlim signal = new(0, int.MaxValue);

    public void Pulse() => signal.Release();

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);

    public void Dispose()
    {
        signal.Dispose();
        GC.SuppressFinalize(this);
    }
}
