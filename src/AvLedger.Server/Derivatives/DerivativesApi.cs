using System.Globalization;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Derivatives;
using AvLedger.Core.Records;
using AvLedger.Media;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using AvLedger.Server.Records;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AvLedger.Server.Derivatives;

/// <summary>What the API says about a derivative: linked to its original and labelled, in every
/// answer, as not being an enforcement AV record (Art. 3).</summary>
public sealed record DerivativeView(
    string? Id, string OriginalId, DerivativeKind Kind, double? Start, double? End, DerivativeState State,
    string? Sha256, long? Size, DateTimeOffset? CreatedAt, string? Content)
{
    public bool IsRecord => false;
    public string Label => Clips.Label;
    public string LabelEn => Clips.LabelEn;

    public static DerivativeView Of(Derivative d) => new(d.Id, d.OriginalId, d.Kind, d.StartSeconds, d.EndSeconds, d.State, d.Sha256, d.Size,
        RecordingTimes.ToChina(d.CreatedAt), d.State == DerivativeState.Ready ? $"/api/v1/derivatives/{d.Id}/content" : null);

    /// <summary>A record's web rendition, shown alongside its clips; it lives on the record, not as a row of its own.</summary>
    public static DerivativeView RenditionOf(string recordId) =>
        new(null, recordId, DerivativeKind.WebRendition, null, null, DerivativeState.Ready, null, null, null, $"/api/v1/records/{recordId}/rendition");
}

/// <summary>Art. 3 (R-3b): clips cut from records. They live in their own table and blobs, so no
/// record list, count or export can include them.</summary>
public static class DerivativesApi
{
    /// <summary>Clips shorter than this are refused: ffmpeg cannot make a meaningful file of less.</summary>
    public const double MinimumSeconds = 0.5;

    /// <summary>The response header that marks a derivative's bytes, for any client that looks.</summary>
    public const string Header = "X-AvLedger-Derivative";

    public sealed record ClipRequest(double? Start, double? End);

    public static void MapDerivatives(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/clips", CreateClipAsync).RequireAuthorization();
        app.MapGet("/api/v1/records/{id}/derivatives", ListForRecordAsync).RequireAuthorization();
        var derivatives = app.MapGroup("/api/v1/derivatives").RequireAuthorization();
        derivatives.MapGet("/{id}", GetAsync);
        derivatives.MapGet("/{id}/content", (string id, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, IOptions<AvLedgerOptions> options, ILogger<ClipWorker> log, CancellationToken ct)
            => ContentAsync(id, inline: false, http, user, db, vault, clock, options.Value.DownloadsPerHour, log, ct));
        derivatives.MapGet("/{id}/view", (string id, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, IOptions<AvLedgerOptions> options, ILogger<ClipWorker> log, CancellationToken ct)
            => ContentAsync(id, inline: true, http, user, db, vault, clock, options.Value.DownloadsPerHour, log, ct));
    }

    static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult InvalidRange(string zh, string en) => Problems.Of(400, "clip-range-invalid", "片段起止时间无效", "Invalid clip range", zh, en);

    /// <summary>Derivatives whose original <paramref name="user"/> may reach for <paramref name="access"/>.</summary>
    public static IQueryable<Derivative> VisibleTo(AvLedgerDb db, Account user, DateTimeOffset now, Access access)
    {
        var originals = db.Records.VisibleTo(user, now, access).Select(r => r.Id);
        return db.Derivatives.Where(d => originals.Contains(d.OriginalId));
    }

    public static async Task<IResult> CreateClipAsync(string id, ClipRequest r, CurrentUser user, AvLedgerDb db, ClipSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Cutting a clip copies the record's content: only those who may copy it may cut it.
        var record = Ids.LooksValid(id)
            ? await db.Records.AsNoTracking().VisibleTo(user, now, Access.Copy).Where(x => x.Id == id)
                .Select(x => new { x.Id, x.MediaKind, x.DurationSeconds }).SingleOrDefaultAsync(ct)
            : null;
        if (record is null) return Problems.NotFound();
        if (record.MediaKind is not ("video" or "audio") || record.DurationSeconds is not > 0)
            return Problems.Of(409, "not-clippable", "无法截取片段", "Cannot cut a clip",
                "只有时长已知的录像或录音可以截取片段。", "Only video or audio recordings of known duration can be cut.");
        var duration = record.DurationSeconds.Value;
        var d = Seconds(duration);
        if (r.Start is not { } start || r.End is not { } end || !double.IsFinite(start) || !double.IsFinite(end))
            return InvalidRange("请给出起点 start 和终点 end（自录像开始起的秒数）。", "Give start and end, in seconds from the recording's start.");
        if (start < 0 || start >= end || end > duration + 1e-6)
            return InvalidRange($"须满足 0 ≤ 起点 < 终点 ≤ 录像时长（{d} 秒），收到 {Seconds(start)}–{Seconds(end)}。",
                $"Need 0 ≤ start < end ≤ the recording's duration ({d} s), got {Seconds(start)}–{Seconds(end)}.");
        if (end - start < MinimumSeconds)
            return InvalidRange($"片段至少 {Seconds(MinimumSeconds)} 秒。", $"A clip is at least {Seconds(MinimumSeconds)} s long.");

        var clip = new Derivative
        {
            Id = Ids.New(), OriginalId = record.Id, Kind = DerivativeKind.Clip, StartSeconds = start, EndSeconds = end,
            State = DerivativeState.Pending, CreatedById = user.Id, CreatedAt = now,
        };
        db.Derivatives.Add(clip);
        db.Jobs.Add(ClipWorker.NewJob(clip.Id, now));
        await db.SaveChangesAsync(ct);
        signal.Pulse();
        return TypedResults.Accepted($"/api/v1/derivatives/{clip.Id}", DerivativeView.Of(clip));
    }

    static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);

    static async Task<IResult> GetAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct) =>
        Ids.LooksValid(id) && await VisibleTo(db, user, clock.GetUtcNow(), Access.Metadata).AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) is { } d
            ? TypedResults.Ok(DerivativeView.Of(d))
            : Problems.NotFound();

    /// <summary>A record's derivatives, newest first, with its web rendition if it has one; null when
    /// <paramref name="user"/> may not know the record.</summary>
    public static async Task<List<DerivativeView>?> OfRecordAsync(string recordId, Account user, AvLedgerDb db, DateTimeOffset now, CancellationToken ct)
    {
        var record = Ids.LooksValid(recordId)
            ? await db.Records.AsNoTracking().VisibleTo(user, now).Where(r => r.Id == recordId).Select(r => new { r.Id, r.Rendition }).SingleOrDefaultAsync(ct)
            : null;
        if (record is null) return null;
        var clips = await db.Derivatives.AsNoTracking().Where(d => d.OriginalId == record.Id).OrderByDescending(d => d.Id).Take(500).ToListAsync(ct);
        var views = clips.Select(DerivativeView.Of).ToList();
        if (record.Rendition == RenditionState.Ready) views.Add(DerivativeView.RenditionOf(record.Id));
        return views;
    }

    static async Task<IResult> ListForRecordAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct) =>
        await OfRecordAsync(id, user, db, clock.GetUtcNow(), ct) is { } views ? TypedResults.Ok(views) : Problems.NotFound();

    /// <summary>A clip's bytes. Downloading one is copying the original's content and playing one is
    /// viewing it, so each needs that access to the original and is audited against it, first.</summary>
    /// <summary>A clip's bytes: full picture, no watermark, so playing it is a copy as much as
    /// downloading it; both need copy access to the original and count against the copy budget.</summary>
    static async Task<IResult> ContentAsync(string id, bool inline, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, int perHour, ILogger log, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var clip = Ids.LooksValid(id)
            ? await VisibleTo(db, user, now, Access.Copy).AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct)
            : null;
        if (clip is null) return Problems.NotFound();
        if (await db.Records.AnyAsync(r => r.Id == clip.OriginalId && r.PurgedAt != null, ct)) return Problems.From(Core.Retention.RetentionSettings.Purged);
        if (clip is not { State: DerivativeState.Ready, Sha256: { } sha })
            return Problems.Of(409, "derivative-not-ready", "片段尚未生成", "Clip not ready",
                clip.State == DerivativeState.Failed ? "片段生成失败，请重新截取。" : "片段正在生成，请稍后重试。",
                clip.State == DerivativeState.Failed ? "The clip could not be made; cut it again." : "The clip is being made; try again shortly.");
        var action = inline ? AuditActions.ContentView : AuditActions.ContentDownload;
        if (await RecordsApi.CopyRefusedAsync(http, db, user, action, clip.OriginalId, null, perHour, now, log, ct) is { } tooMany) return tooMany;
        var range = http.Request.Headers.Range.ToString() is { Length: > 0 } r ? r.Replace("bytes=", $"clip {clip.Id} ", StringComparison.Ordinal) : $"clip {clip.Id} all";
        try
        {
            // Written before any byte goes out; if it cannot be written, nothing is served.
            await ContentAudit.RecordAsync(db, user, clip.OriginalId, action, range, now, ct);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            log.LogError(e, "Audit write failed; refusing clip {DerivativeId} of record {RecordId}", clip.Id, clip.OriginalId);
            return Problems.Of(503, "audit-unavailable", "审计记录无法写入，拒绝访问", "Audit unavailable; access refused",
                "每次调阅都须先写入审计记录；请稍后重试。", "Every read is audited first; try again later.");
        }
        var stream = await vault.OpenAsync(RecordVault.ClipKey(sha), ct);
        if (stream is null)
        {
            log.LogError("Clip {DerivativeId} has no stored blob", clip.Id);
            return Problems.Of(500, "blob-missing", "片段文件缺失", "Clip file missing", "请联系管理员。", "Ask an administrator.");
        }
        var headers = http.Response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers.CacheControl = "private, no-store";
        headers[Header] = "clip";
        headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(sha))}:";
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(FileName(clip));
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.Stream(stream, Renditions.ContentType, lastModified: clip.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{sha}\""), enableRangeProcessing: true);
    }

    /// <summary>The file name says what the file is: a clip, not a record.</summary>
    public static string FileName(Derivative d) =>
        string.Create(CultureInfo.InvariantCulture, $"{Clips.Label}_片段_{d.OriginalId}_{d.StartSeconds:0.###}-{d.EndSeconds:0.###}s.mp4");
}
