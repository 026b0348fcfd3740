using AvLedger.Core.Data;
using AvLedger.Core.Ingest;
using AvLedger.Core.Jobs;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Ingest;

/// <summary>Runs durable ingest jobs (one per completed upload) and clears expired partial
/// uploads. Jobs are claimed with a lease, so several nodes can share the queue and a node that
/// dies leaves work for another.</summary>
public sealed class IngestWorker(
    IServiceScopeFactory scopes, IngestSignal signal, PartialUploads parts, IOptions<AvLedgerOptions> options,
    TimeProvider clock, ILogger<IngestWorker> log) : SignalledWorker(signal, TimeSpan.FromSeconds(1), log)
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);
    const int MaxAttempts = 8;
    DateTimeOffset nextCleanup = DateTimeOffset.MinValue;

    protected override Task StartingAsync(CancellationToken ct) => ReleaseOwnLeasesAsync(ct);

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        while (await RunOneAsync(ct)) { }
        if (clock.GetUtcNow() >= nextCleanup)
        {
            await ExpireStaleUploadsAsync(ct);
            nextCleanup = clock.GetUtcNow() + options.Value.Uploads.CleanupInterval;
        }
        return false;
    }

    /// <summary>After a restart, this node's leases belong to work that died with the old process.</summary>
    async Task ReleaseOwnLeasesAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var node = options.Value.NodeId;
        await db.Jobs.Where(j => j.State == JobState.Pending && j.LeasedBy == node)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeasedBy, (string?)null).SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null), ct);
    }

    async Task<bool> RunOneAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var now = clock.GetUtcNow();
        var job = await db.Jobs
            .Where(j => j.State == JobState.Pending && j.NotBefore <= now && (j.LeaseUntil == null || j.LeaseUntil < now))
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

        var processor = scope.ServiceProvider.GetRequiredService<IngestProcessor>();
        try
        {
            await processor.ProcessAsync(job.Subject, ct);
            job.State = JobState.Done;
            job.LeaseUntil = null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "Ingest job {JobId} for upload {UploadId} failed (attempt {Attempt})", job.Id, job.Subject, job.Attempts);
            db.ChangeTracker.Clear();
            db.Attach(job);
            job.LastError = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            job.LeasedBy = null;
            job.LeaseUntil = null;
            if (job.Attempts >= MaxAttempts)
            {
                job.State = JobState.Failed;
                var upload = await db.Uploads.FindAsync([job.Subject], ct);
                if (upload is { State: UploadState.Processing })
                {
                    upload.State = UploadState.Rejected;
                    upload.Error = "processing failed repeatedly; the bytes are kept for an administrator";
                }
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

    async Task ExpireStaleUploadsAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var now = clock.GetUtcNow();
        var stale = await db.Uploads.Where(u => u.State == UploadState.Receiving && u.ExpiresAt <= now).ToListAsync(ct);
        foreach (var upload in stale)
        {
            using var _ = await parts.LockAsync(upload.Id, ct);
            upload.State = UploadState.Rejected;
            upload.Error = "expired";
            await db.SaveChangesAsync(ct);
            parts.Delete(upload.Id);
        }
        if (stale.Count > 0) log.LogInformation("Expired {Count} stale partial uploads", stale.Count);
    }
}
