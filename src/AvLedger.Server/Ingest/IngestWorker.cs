using AvLedger.Core.Data;
using AvLedger.Core.Ingest;
using AvLedger.Core.Jobs;
using AvLedger.Server.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Ingest;

/// <summary>Runs durable ingest jobs (one per completed upload) and clears expired partial uploads.</summary>
public sealed class IngestWorker(
    IServiceScopeFactory scopes, IngestSignal signal, PartialUploads parts, IOptions<AvLedgerOptions> options,
    TimeProvider clock, ILogger<IngestWorker> log) : JobWorker(TusApi.JobKind, scopes, signal, options, clock, log)
{
    DateTimeOffset nextCleanup = DateTimeOffset.MinValue;

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        await base.RunRoundAsync(ct);
        if (Clock.GetUtcNow() >= nextCleanup)
        {
            await ExpireStaleUploadsAsync(ct);
            nextCleanup = Clock.GetUtcNow() + Options.Uploads.CleanupInterval;
        }
        return false;
    }

    protected override Task RunJobAsync(IServiceProvider services, Job job, CancellationToken ct) =>
        services.GetRequiredService<IngestProcessor>().ProcessAsync(job.Subject, ct);

    protected override async Task GaveUpAsync(AvLedgerDb db, Job job, CancellationToken ct)
    {
        var upload = await db.Uploads.FindAsync([job.Subject], ct);
        if (upload is { State: UploadState.Processing })
        {
            upload.State = UploadState.Rejected;
            upload.Error = "processing failed repeatedly; the bytes are kept for an administrator";
        }
    }

    async Task ExpireStaleUploadsAsync(CancellationToken ct)
    {
        using var scope = Scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var now = Clock.GetUtcNow();
        var stale = await db.Uploads.Where(u => u.State == UploadState.Receiving && u.ExpiresAt <= now).ToListAsync(ct);
        foreach (var upload in stale)
        {
            using var _ = await parts.LockAsync(upload.Id, ct);
            upload.State = UploadState.Rejected;
            upload.Error = Uploads.Expired;
            await db.SaveChangesAsync(ct);
            parts.Delete(upload.Id);
        }
        if (stale.Count > 0) Log.LogInformation("Expired {Count} stale partial uploads", stale.Count);
    }
}
