using AvLedger.Core.Data;
using AvLedger.Core.Jobs;
using AvLedger.Core.Records;
using AvLedger.Media;
using AvLedger.Server.Jobs;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Records;

public sealed class RenditionSignal : Signal;

/// <summary>Makes web renditions for records browsers cannot play. The original is decrypted to a
/// private temporary file only for ffmpeg's run (MP4 needs seeking), then removed; the rendition is
/// sealed like any blob and stored beside, never instead of, the original.</summary>
public sealed class RenditionWorker(
    IServiceScopeFactory scopes, RenditionSignal signal, IOptions<AvLedgerOptions> options, TimeProvider clock, ILogger<RenditionWorker> log)
    : JobWorker(JobKind, scopes, signal, options, clock, log)
{
    public const string JobKind = "rendition";

    protected override TimeSpan Lease => TimeSpan.FromHours(2);
    protected override int MaxAttempts => 3;

    public static Job NewJob(string recordId, DateTimeOffset now) => NewJob(JobKind, recordId, now);

    protected override async Task RunJobAsync(IServiceProvider services, Job job, CancellationToken ct)
    {
        var db = services.GetRequiredService<AvLedgerDb>();
        var vault = services.GetRequiredService<RecordVault>();
        var record = await db.Records.SingleOrDefaultAsync(r => r.Id == job.Subject, ct);
        if (record is not { Rendition: RenditionState.Pending }) return;

        var format = MediaFormat.ByName(record.Format) ?? throw new InvalidOperationException($"record {record.Id}: unknown format {record.Format}");
        using var work = Options.NewJobDir("rendition");
        var input = work.File("original");
        var output = work.NewPrivateFile("web.mp4");
        await FromOriginal.MakeAsync(vault, record.Id, record.Sha256, input, output,
            () => Renditions.MakeAsync(input, format, output, record.VideoCodec is not null, record.DurationSeconds, record.Id, record.Sha256, ct),
            RecordVault.RenditionKey(record.Sha256), ct);
        record.Rendition = RenditionState.Ready;
        await db.SaveChangesAsync(ct);
        Log.LogInformation("Record {RecordId}: web rendition ready", record.Id);
    }

    protected override async Task GaveUpAsync(AvLedgerDb db, Job job, CancellationToken ct) =>
        await db.Records.Where(r => r.Id == job.Subject && r.Rendition == RenditionState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Rendition, RenditionState.Failed), ct);
}
