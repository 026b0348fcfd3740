using AvLedger.Core.Data;
using AvLedger.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Jobs;

/// <summary>Runs durable jobs of one kind. Jobs are claimed with a lease, so several nodes can
/// share the queue and a node that dies leaves its work for another; a failed job is retried with
/// back-off until <see cref="MaxAttempts"/>.</summary>
public abstract class JobWorker(
    string kind, IServiceScopeFactory scopes, Signal signal, IOptions<AvLedgerOptions> options, TimeProvider clock, ILogger log)
    : SignalledWorker(signal, TimeSpan.FromSeconds(1), log)
{
    protected virtual TimeSpan Lease => TimeSpan.FromMinutes(30);
    protected virtual int MaxAttempts => 8;
    protected IServiceScopeFactory Scopes => scopes;
    protected TimeProvider Clock => clock;
    protected AvLedgerOptions Options => options.Value;

    protected abstract Task RunJobAsync(IServiceProvider services, Job job, CancellationToken ct);

    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Decrypts an original to a 0600 file for ffmpeg, which needs to seek (MP4); the caller deletes it.</summary>
    public static async Task DecryptOriginalAsync(Storage.RecordVault vault, string recordId, string sha256, string path, CancellationToken ct)
    {
        await using var original = await vault.OpenAsync(Storage.RecordVault.OriginalKey(sha256), ct)
            ?? throw new InvalidOperationException($"record {recordId}: original is missing");
        await using var copy = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = Private });
        await original.CopyToAsync(copy, 1024 * 1024, ct);
    }

    /// <summary>Creates an empty 0600 file, so output a tool writes into it is private from the start.</summary>
    public static void CreatePrivate(string path)
    {
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = Private })) { }
    }

    protected static Job NewJob(string kind, string subject, DateTimeOffset now) => Job.New(kind, subject, now);

    /// <summary>Called in the job's scope when it has failed <see cref="MaxAttempts"/> times.</summary>
    protected virtual Task GaveUpAsync(AvLedgerDb db, Job job, CancellationToken ct) => Task.CompletedTask;

    protected override Task StartingAsync(CancellationToken ct) => ReleaseOwnLeasesAsync(ct);

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        while (await RunOneAsync(ct)) { }
        return false;
    }

    /// <summary>After a restart, this node's leases belong to work that died with the old process.</summary>
    async Task ReleaseOwnLeasesAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var node = options.Value.NodeId;
        await db.Jobs.Where(j => j.Kind == kind && j.State == JobState.Pending && j.LeasedBy == node)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeasedBy, (string?)null).SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null), ct);
    }

    async Task<bool> RunOneAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var now = clock.GetUtcNow();
        var job = await db.Jobs
            .Where(j => j.Kind == kind && j.State == JobState.Pending && j.NotBefore <= now && (j.LeaseUntil == null || j.LeaseUntil < now))
            .OrderBy(j => j.NotBefore)
            .FirstOrDefaultAsync(ct);
        if (job is null) return false;
        job.LeasedBy = options.Value.NodeId;
        job.LeaseUntil = now + Lease;
        job.Attempts++;
        job.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return true; // another node took it
        }

        try
        {
            await RunJobAsync(scope.ServiceProvider, job, ct);
            job.State = JobState.Done;
            job.LeaseUntil = null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Log.LogError(e, "{Kind} job {JobId} for {Subject} failed (attempt {Attempt})", kind, job.Id, job.Subject, job.Attempts);
            db.ChangeTracker.Clear();
            db.Attach(job);
            job.LastError = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            job.LeasedBy = null;
            job.LeaseUntil = null;
            if (job.Attempts >= MaxAttempts)
            {
                job.State = JobState.Failed;
                await GaveUpAsync(db, job, ct);
            }
            else
            {
                job.NotBefore = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Pow(2, job.Attempts));
            }
        }
        job.Version = Guid.NewGuid();
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }
}
