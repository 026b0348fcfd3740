using System.Globalization;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Jobs;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Retention;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Derivatives;

/// <summary>Art. 3 (R-3b): clips cut from records. They live in their own table and blobs, so no
/// record list, count or export can include them; reaching one needs access to its original.</summary>
public sealed class DerivativeRegister(AvLedgerDb db, ContentRelease release)
{
    /// <summary>Clips shorter than this are refused: ffmpeg cannot make a meaningful file of less.</summary>
    public const double MinimumSeconds = 0.5;

    /// <summary>The background job that cuts a clip.</summary>
    public const string ClipJob = "clip";

    /// <summary>A record's clips, and whether it has a web rendition to list beside them.</summary>
    public sealed record OfRecord(string RecordId, IReadOnlyList<Derivative> Clips, bool HasRendition);

    static Refusal InvalidRange(string reason, params object[] args) => new(400, "clip-range-invalid", reason, args);

    static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Derivatives whose original the person may reach for <paramref name="access"/>.</summary>
    public IQueryable<Derivative> Visible(Scope actor, Access access)
    {
        var originals = actor.Records(db.Records, access).Select(r => r.Id);
        return db.Derivatives.Where(d => originals.Contains(d.OriginalId));
    }

    /// <summary>Queues a clip of <paramref name="start"/>–<paramref name="end"/> seconds. Cutting a clip copies
    /// the record's content: only those who may copy it may cut it.</summary>
    public async Task<Outcome<Derivative>> CutClipAsync(Scope actor, string recordId, double? start, double? end, CancellationToken ct)
    {
        var record = Ids.LooksValid(recordId)
            ? await actor.Records(db.Records.AsNoTracking(), Access.Copy).Where(x => x.Id == recordId)
                .Select(x => new { x.Id, x.MediaKind, x.DurationSeconds }).SingleOrDefaultAsync(ct)
            : null;
        if (record is null) return Refusal.NotFound;
        if (record.MediaKind is not ("video" or "audio") || record.DurationSeconds is not > 0) return new Refusal(409, "not-clippable");
        var duration = record.DurationSeconds.Value;
        if (start is not { } from || end is not { } to || !double.IsFinite(from) || !double.IsFinite(to)) return InvalidRange("clip-range-missing");
        if (from < 0 || from >= to || to > duration + 1e-6) return InvalidRange("clip-range-outside", Seconds(duration), Seconds(from), Seconds(to));
        if (to - from < MinimumSeconds) return InvalidRange("clip-too-short", Seconds(MinimumSeconds));
        var clip = new Derivative
        {
            Id = Ids.New(), OriginalId = record.Id, Kind = DerivativeKind.Clip, StartSeconds = from, EndSeconds = to,
            State = DerivativeState.Pending, CreatedById = actor.Id, CreatedAt = actor.Now,
        };
        db.Derivatives.Add(clip);
        db.Jobs.Add(Job.New(ClipJob, clip.Id, actor.Now));
        await db.SaveChangesAsync(ct);
        return clip;
    }

    public async Task<Derivative?> FindAsync(Scope actor, string id, CancellationToken ct) =>
        Ids.LooksValid(id) ? await Visible(actor, Access.Metadata).AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) : null;

    /// <summary>A derivative with what its page shows beside it: what the person may do with the original, its hash, who cut it.</summary>
    public sealed record Described(Derivative Derivative, bool CanView, bool CanCopy, string OriginalSha256, string CreatedBy);

    /// <summary>Whoever may know the original exists may know its derivatives do.</summary>
    public async Task<Described?> DescribeAsync(Scope actor, string id, CancellationToken ct)
    {
        if (await FindAsync(actor, id, ct) is not { } clip) return null;
        var canView = await actor.Records(db.Records, Access.View).AnyAsync(r => r.Id == clip.OriginalId, ct);
        var canCopy = canView && await actor.Records(db.Records, Access.Copy).AnyAsync(r => r.Id == clip.OriginalId, ct);
        var sha = await db.Records.Where(r => r.Id == clip.OriginalId).Select(r => r.Sha256).SingleAsync(ct);
        var createdBy = await db.Accounts.Where(a => a.Id == clip.CreatedById).Select(a => a.DisplayName).SingleOrDefaultAsync(ct) ?? clip.CreatedById;
        return new Described(clip, canView, canCopy, sha, createdBy);
    }

    /// <summary>A record's clips, newest first; not found when the person may not know the record.</summary>
    public async Task<Outcome<OfRecord>> OfRecordAsync(Scope actor, string recordId, CancellationToken ct)
    {
        var record = Ids.LooksValid(recordId)
            ? await actor.Records(db.Records.AsNoTracking()).Where(r => r.Id == recordId).Select(r => new { r.Id, r.Rendition }).SingleOrDefaultAsync(ct)
            : null;
        if (record is null) return Refusal.NotFound;
        var clips = await db.Derivatives.AsNoTracking().Where(d => d.OriginalId == record.Id).OrderByDescending(d => d.Id).Take(500).ToListAsync(ct);
        return new OfRecord(record.Id, clips, record.Rendition == RenditionState.Ready);
    }

    /// <summary>A ready clip, released to the person: full picture, no watermark, so playing it is a copy as
    /// much as downloading it; both need copy access to the original, count against the copy budget and are
    /// audited against the original before any byte goes out.</summary>
    public async Task<Outcome<Derivative>> ReleaseClipAsync(Scope actor, string id, bool inline, string? range, int perHour, CancellationToken ct)
    {
        var clip = Ids.LooksValid(id) ? await Visible(actor, Access.Copy).AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) : null;
        if (clip is null) return Refusal.NotFound;
        if (await db.Records.AnyAsync(r => r.Id == clip.OriginalId && r.PurgedAt != null, ct)) return RetentionSettings.Purged;
        if (clip is not { State: DerivativeState.Ready, Sha256: not null })
            return new Refusal(409, "derivative-not-ready", clip.State == DerivativeState.Failed ? "clip-failed" : "clip-pending");
        var action = inline ? AuditActions.ContentView : AuditActions.ContentDownload;
        var described = range is { Length: > 0 } r ? r.Replace("bytes=", $"clip {clip.Id} ", StringComparison.Ordinal) : $"clip {clip.Id} all";
        if (await release.CopyAsync(actor, clip.OriginalId, action, described, perHour, ct) is { } refused) return refused;
        return clip;
    }
}
