using System.Globalization;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using AvLedger.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace AvLedger.Server.Records;

public static class RecordsApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapRecords(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/api/v1/records").RequireAuthorization();
        records.MapGet("/", Search);
        records.MapGet("/{id}", Get);
        records.MapGet("/{id}/content", (string id, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, ILogger<RecordView> log, CancellationToken ct)
            => Original(id, inline: true, http, user, db, vault, clock, log, ct));
        records.MapGet("/{id}/download", (string id, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, ILogger<RecordView> log, CancellationToken ct)
            => Original(id, inline: false, http, user, db, vault, clock, log, ct));
        records.MapGet("/{id}/thumbnail", Thumbnail);
        return records;
    }

    public sealed record SearchPage(IReadOnlyList<RecordView> Items, int Total, int Page, int PageSize);

    static async Task<Results<Ok<SearchPage>, ProblemHttpResult>> Search(
        CurrentUser user, AvLedgerDb db, CancellationToken ct,
        string? officer = null, string? device = null, string? unit = null, string? activityType = null,
        string? from = null, string? to = null, bool? lateSave = null, string? q = null, int page = 1, int pageSize = 50)
    {
        var query = db.Records.AsNoTracking().VisibleTo(user);
        if (!string.IsNullOrEmpty(officer)) query = query.Where(r => r.OfficerBadge == officer);
        if (!string.IsNullOrEmpty(device)) query = query.Where(r => r.DeviceCode == device);
        if (!string.IsNullOrEmpty(unit)) query = query.Where(r => r.UnitId == unit);
        if (!string.IsNullOrEmpty(activityType)) query = query.Where(r => r.ActivityType == activityType);
        if (lateSave is { } late) query = query.Where(r => r.LateSave == late);
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(r => r.FileName.Contains(q));
        if (from is not null)
        {
            if (ParseTime(from) is not { } f) return BadTime("from", from);
            query = query.Where(r => r.RecordedEnd >= f);
        }
        if (to is not null)
        {
            if (ParseTime(to) is not { } t) return BadTime("to", to);
            query = query.Where(r => r.RecordedStart < t);
        }
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(r => r.RecordedStart).ThenBy(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).Select(RecordView.Projection).ToListAsync(ct);
        return TypedResults.Ok(new SearchPage(items.Select(i => i.InChinaTime()).ToList(), total, page, pageSize));
    }

    static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && text.Contains('T', StringComparison.Ordinal) ? t : null;

    static ProblemHttpResult BadTime(string name, string value) =>
        Problems.Of(400, "time-invalid", "时间格式错误", "Invalid time", $"参数 {name} 须为带时区的 RFC 3339 时间，收到 “{value}”。", $"Parameter {name} must be an RFC 3339 time with offset, got '{value}'.");

    static async Task<IResult> Get(string id, CurrentUser user, AvLedgerDb db, CancellationToken ct) =>
        await db.Records.AsNoTracking().VisibleTo(user).Where(r => r.Id == id).Select(RecordView.Projection).SingleOrDefaultAsync(ct) is { } view
            ? TypedResults.Ok(view.InChinaTime())
            : Problems.NotFound();

    static async Task<IResult> Original(string id, bool inline, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        var record = await db.Records.AsNoTracking().VisibleTo(user).Where(r => r.Id == id)
            .Select(r => new { r.Id, r.Sha256, r.FileName, r.ContentType, r.SavedAt }).SingleOrDefaultAsync(ct);
        if (record is null) return Problems.NotFound();
        var range = http.Request.Headers.Range.ToString() is { Length: > 0 } r ? r.Replace("bytes=", "", StringComparison.Ordinal) : "all";
        try
        {
            // Written before any byte goes out; if it cannot be written, nothing is served.
            await ContentAudit.RecordAsync(db, user, record.Id, inline ? AuditActions.ContentView : AuditActions.ContentDownload, range, clock.GetUtcNow(), ct);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            log.LogError(e, "Audit write failed; refusing content read of record {RecordId}", record.Id);
            return Problems.Of(503, "audit-unavailable", "审计记录无法写入，拒绝访问", "Audit unavailable; access refused",
                "每次调阅都须先写入审计记录；请稍后重试。", "Every read is audited first; try again later.");
        }
        var stream = await vault.OpenAsync(RecordVault.OriginalKey(record.Sha256), ct);
        if (stream is null)
        {
            log.LogError("Record {RecordId} has no stored blob", record.Id);
            return Problems.Of(500, "blob-missing", "原始文件缺失", "Original missing", "请联系管理员运行 scrub 检查。", "Ask an administrator to run scrub.");
        }
        var headers = http.Response.Headers;
        headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(record.Sha256))}:";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.CacheControl = "private, no-store";
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(record.FileName);
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.Stream(stream, record.ContentType, fileDownloadName: null, lastModified: record.SavedAt,
            entityTag: new EntityTagHeaderValue($"\"{record.Sha256}\""), enableRangeProcessing: true);
    }

    static async Task<IResult> Thumbnail(string id, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, CancellationToken ct)
    {
        var record = await db.Records.AsNoTracking().VisibleTo(user).Where(r => r.Id == id)
            .Select(r => new { r.Id, r.Sha256, r.HasThumbnail }).SingleOrDefaultAsync(ct);
        if (record is not { HasThumbnail: true }) return Problems.NotFound();
        await ContentAudit.RecordAsync(db, user, record.Id, AuditActions.ThumbnailView, "thumbnail", clock.GetUtcNow(), ct);
        var stream = await vault.OpenAsync(RecordVault.ThumbnailKey(record.Sha256), ct);
        return stream is null ? Problems.NotFound() : TypedResults.Stream(stream, "image/jpeg");
    }
}
