using AvLedger.Core.Data;
using AvLedger.Core.Derivatives;
using AvLedger.Core.Jobs;
using AvLedger.Core.Ledger;
using AvLedger.Media;
using AvLedger.Server.Jobs;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Derivatives;

public sealed class ClipSignal : Signal;

/// <summary>Cuts clips asked for through the API (Art. 3). The original is decrypted into a private
/// folder of the job's own for ffmpeg's run and removed after; the clip is sealed as a derivative blob of its
/// own, and ledgered once its bytes exist. The original is only ever read.</summary>
public sealed class ClipWorker(
    IServiceScopeFactory scopes, ClipSignal signal, IOptions<AvLedgerOptions> options, TimeProvider clock, ILogger<ClipWorker> log)
    : JobWorker(JobKind, scopes, signal, options, clock, log)
{
    public const string JobKind = DerivativeRegister.ClipJob;

    protected override TimeSpan Lease => TimeSpan.FromHours(1);
    protected override int MaxAttempts => 3;

    public static Job NewJob(string derivativeId, DateTimeOffset now) => NewJob(JobKind, derivativeId, now);

    protected override async Task RunJobAsync(IServiceProvider services, Job job, CancellationToken ct)
    {
        var db = services.GetRequiredService<AvLedgerDb>();
        var vault = services.GetRequiredService<RecordVault>();
        var clip = await db.Derivatives.SingleOrDefaultAsync(d => d.Id == job.Subject, ct);
        if (clip is not { State: DerivativeState.Pending, Kind: DerivativeKind.Clip, StartSeconds: { } start, EndSeconds: { } end }) return;
        var original = await db.Records.AsNoTracking().Where(r => r.Id == clip.OriginalId)
            .Select(r => new { r.Id, r.Sha256, r.VideoCodec, r.Format }).SingleAsync(ct);

        var format = MediaFormat.ByName(original.Format) ?? throw new InvalidOperationException($"record {original.Id}: unknown format {original.Format}");
        using var work = Options.NewJobDir("clip");
        var input = work.File("original");
        var output = work.NewPrivateFile("clip.mp4");
        Clips.Result? result = null;
        var made = await FromOriginal.MakeAsync(vault, original.Id, original.Sha256, input, output,
            async () => result = await Clips.CutAsync(input, format, output, start, end, original.VideoCodec is not null, original.Id, original.Sha256, ct),
            RecordVault.ClipKey, ct);
        clip.Sha256 = made.Sha256;
        clip.Size = made.Size;
        clip.State = DerivativeState.Ready;
        db.LedgerPending.Add(LedgerLeaves.DerivativeMade(clip, original.Sha256, Clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        Log.LogInformation("Clip {DerivativeId} of record {RecordId} ready ({Method}, {Duration:0.###} s)", clip.Id, original.Id, result?.Method, result?.DurationSeconds);
    }

    protected override async Task GaveUpAsync(AvLedgerDb db, Job job, CancellationToken ct) =>
        await db.Derivatives.Where(d => d.Id == job.Subject && d.State == DerivativeState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DerivativeState.Failed).SetProperty(d => d.Error, job.LastError), ct);
}
