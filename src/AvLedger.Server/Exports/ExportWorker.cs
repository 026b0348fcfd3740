using AvLedger.Core.Data;
using AvLedger.Core.Exports;
using AvLedger.Core.Jobs;
using AvLedger.Ledger;
using AvLedger.Server.Jobs;
using AvLedger.Server.Ledger;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Exports;

public sealed class ExportSignal : Signal;

/// <summary>Builds evidence packages in the background: queued → running → ready (or failed).</summary>
public sealed class ExportWorker(
    IServiceScopeFactory scopes, ExportSignal signal, IOptions<AvLedgerOptions> options, TimeProvider clock, ILogger<ExportWorker> log)
    : JobWorker(JobKind, scopes, signal, options, clock, log)
{
    public const string JobKind = EvidenceExporting.ExportJob;

    protected override TimeSpan Lease => TimeSpan.FromHours(6);
    protected override int MaxAttempts => 2;

    public static Job NewJob(string exportId, DateTimeOffset now) => NewJob(JobKind, exportId, now);

    protected override async Task RunJobAsync(IServiceProvider services, Job job, CancellationToken ct)
    {
        var db = services.GetRequiredService<AvLedgerDb>();
        var export = await db.EvidenceExports.Include(x => x.Records).SingleOrDefaultAsync(x => x.Id == job.Subject, ct);
        if (export is not { State: ExportState.Queued or ExportState.Running }) return;
        export.State = ExportState.Running;
        export.Progress = 1;
        export.Error = null;
        await db.SaveChangesAsync(ct);
        var builder = new PackageBuilder(db, services.GetRequiredService<RecordVault>(), services.GetRequiredService<NoteSigner>(),
            services.GetRequiredService<LedgerSignal>(), Options, Clock, Log);
        try
        {
            await builder.BuildAsync(export, ct);
        }
        finally
        {
            var work = PackageBuilder.WorkDir(Options, export.Id);
            try { if (Directory.Exists(work)) Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        var more = await base.RunRoundAsync(ct);
        await SweepExpiredAsync(ct);
        return more;
    }

    /// <summary>Ready packages past their download period become expired and their files are removed,
    /// whether or not anyone asks for them again.</summary>
    async Task SweepExpiredAsync(CancellationToken ct)
    {
        using var scope = Scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var exporting = scope.ServiceProvider.GetRequiredService<EvidenceExporting>();
        var now = Clock.GetUtcNow();
        var due = await db.EvidenceExports.Where(x => x.State == ExportState.Ready && x.ExpiresAt <= now).Select(x => x.Id).Take(100).ToListAsync(ct);
        foreach (var id in due) await exporting.ExpireAsync(id, ct);
    }

    protected override async Task GaveUpAsync(AvLedgerDb db, Job job, CancellationToken ct) =>
        await db.EvidenceExports.Where(x => x.Id == job.Subject && (x.State == ExportState.Queued || x.State == ExportState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, ExportState.Failed).SetProperty(x => x.Error, job.LastError), ct);
}
