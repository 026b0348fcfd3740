using System.Globalization;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using AvLedger.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AvLedger.Server.Records;

public static class RecordsApi
{
    public static RouteGroupBuilder MapRecords(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/api/v1/records").RequireAuthorization().WithParameter("id", "录像编号");
        records.MapGet("/", Search)
            .WithSummary("检索执法音像记录")
            .WithDescription("只返回本人有权查看的录像；按录制时间、执法人员、设备、单位、活动类型、案号等组合筛选，分页返回。")
            .WithParameter("officer", "执法人员：执法证号，或姓名的一部分")
            .WithParameter("device", "设备编号")
            .WithParameter("unit", "单位编号")
            .WithParameter("activityType", "执法活动类型代码（见 /api/v1/activity-types）")
            .WithParameter("from", "录制时段起点（ISO 8601，含日期和时间）：录制结束不早于此")
            .WithParameter("to", "录制时段终点（ISO 8601，含日期和时间）：录制开始早于此")
            .WithParameter("lateSave", "true 只列逾期保存（超过 24 小时）的，false 只列按时保存的")
            .WithParameter("q", "关键词：文件名、案号、案件标题、车牌、当事人等")
            .WithParameter("page", "页码，从 1 开始")
            .WithParameter("pageSize", "每页条数（默认 50）")
            .WithParameter("case", "案号：只列关联该案件的录像（含经执法过程关联的）");
        records.MapGet("/{id}", Get)
            .WithSummary("录像详情（元数据、保存期限类别）")
            .Produces<RecordView>();
        records.MapGet("/{id}/content", (string id, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, ContentRelease release, IOptions<AvLedgerOptions> options, ILogger<RecordView> log, CancellationToken ct)
            => Original(id, inline: true, http, user, db, vault, release, options.Value.DownloadsPerHour, log, ct))
            .WithSummary("播放原始录像")
            .WithDescription("原始录像的字节（支持 Range、ETag、Repr-Digest）。须有复制权限，计入每人每小时的复制次数；每次观看先写审计。只有查看权限的人员请用 /watch。")
            .Produces<Stream>(200, "application/octet-stream", "video/mp4", "audio/mpeg", "image/jpeg");
        records.MapGet("/{id}/download", (string id, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, ContentRelease release, IOptions<AvLedgerOptions> options, ILogger<RecordView> log, CancellationToken ct)
            => Original(id, inline: false, http, user, db, vault, release, options.Value.DownloadsPerHour, log, ct))
            .WithSummary("下载原始录像")
            .WithDescription("以附件方式下载原始录像（支持 Range）；须有复制权限，计入每人每小时的复制次数，先写审计。")
            .Produces<Stream>(200, "application/octet-stream");
        records.MapGet("/{id}/thumbnail", Thumbnail)
            .WithSummary("录像缩略图")
            .WithDescription("录像中的一帧（JPEG），查看即写审计。")
            .Produces<Stream>(200, "image/jpeg");
        records.MapGet("/{id}/rendition", Rendition)
            .WithSummary("网页播放转码（派生文件）")
            .WithDescription("浏览器不能直接播放的录像的 H.264 转码，不是执法音像记录本身；须有复制权限，观看即写审计。")
            .Produces<Stream>(200, "video/mp4");
        records.MapGet("/{id}/watch/" + Viewings.Playlist, WatchPlaylist)
            .WithSummary("带水印观看（HLS 播放列表）")
            .WithDescription("只有查看权限的人员观看视频的方式：画面上叠加观看人的姓名、执法证号和时间，不提供原始录像。每次观看写一次审计。")
            .Produces<string>(200, "application/vnd.apple.mpegurl");
        records.MapGet("/{id}/watch/{segment}", WatchSegment)
            .WithSummary("带水印观看的视频分段")
            .WithParameter("segment", "分段文件名（seg0.ts、seg1.ts …，见播放列表）")
            .Produces<Stream>(200, "video/mp2t");
        return records;
    }

    public sealed record SearchPage(IReadOnlyList<RecordView> Items, int Total, int Page, int PageSize);

    static async Task<Results<Ok<SearchPage>, ProblemHttpResult>> Search(
        CurrentUser user, AvLedgerDb db, RecordFinder finder, CancellationToken ct,
        string? officer = null, string? device = null, string? unit = null, string? activityType = null,
        string? from = null, string? to = null, bool? lateSave = null, string? q = null, int page = 1, int pageSize = 50,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "case")] string? caseNumber = null)
    {
        DateTimeOffset? f = null, t = null;
        if (from is not null && (f = ParseTime(from)) is null) return BadTime("from", from);
        if (to is not null && (t = ParseTime(to)) is null) return BadTime("to", to);
        var search = new RecordSearch
        {
            Officer = officer, Device = device, Unit = unit, ActivityType = activityType, From = f, To = t,
            LateSave = lateSave, Q = q, Case = caseNumber, Page = page, PageSize = pageSize,
        };
        var query = finder.Matching(user.Scope, search);
        var total = await query.CountAsync(ct);
        var items = await search.PageOf(query).Select(RecordView.Projection).ToListAsync(ct);
        var ids = items.Select(i => i.Id).ToList();
        var categories = (await db.RecordRetentions.AsNoTracking().Where(x => ids.Contains(x.RecordId)).Select(x => new { x.RecordId, x.CategoryCode }).ToListAsync(ct))
            .ToLookup(x => x.RecordId, x => x.CategoryCode);
        return TypedResults.Ok(new SearchPage(items.Select(i => (i with { RetentionCategories = [.. categories[i.Id].Order(StringComparer.Ordinal)] }).InChinaTime()).ToList(),
            total, search.ClampedPage, search.ClampedPageSize));
    }

    static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && text.Contains('T', StringComparison.Ordinal) ? t : null;

    static ProblemHttpResult BadTime(string name, string value) =>
        Problems.From(new Refusal(400, "time-invalid", null, name, value));

    static async Task<IResult> Get(string id, CurrentUser user, RecordFinder finder, Core.Retention.RetentionSettings retention, CancellationToken ct) =>
        await finder.One(user.Scope, id).Select(RecordView.Projection).SingleOrDefaultAsync(ct) is { } view
            ? TypedResults.Ok((view with { RetentionCategories = await retention.CategoriesOfAsync(view.Id, ct) }).InChinaTime())
            : Problems.NotFound();

    /// <summary>The original's bytes: a copy, whether played inline or downloaded, so both need copy
    /// access (a view-only person watches <see cref="WatchPlaylist"/> instead) and count against the
    /// person's hourly allowance of copies.</summary>
    static async Task<IResult> Original(string id, bool inline, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, ContentRelease release, int perHour, ILogger log, CancellationToken ct)
    {
        var record = await user.Scope.Records(db.Records.AsNoTracking(), Access.Copy).Where(r => r.Id == id)
            .Select(r => new { r.Id, r.Sha256, r.FileName, r.ContentType, r.SavedAt, r.PurgedAt }).SingleOrDefaultAsync(ct);
        if (record is null) return Problems.NotFound();
        if (record.PurgedAt is not null) return Problems.From(Core.Retention.RetentionSettings.Purged);
        var range = http.Request.Headers.Range.ToString() is { Length: > 0 } r ? r.Replace("bytes=", "", StringComparison.Ordinal) : "all";
        if (await release.CopyAsync(user.Scope, record.Id, inline ? AuditActions.ContentView : AuditActions.ContentDownload, range, perHour, ct) is { } refused)
            return Problems.From(refused, http.Response);
        var stream = await vault.OpenAsync(RecordVault.OriginalKey(record.Sha256), ct);
        if (stream is null)
        {
            log.LogError("Record {RecordId} has no stored blob", record.Id);
            return Problems.From(new Refusal(500, "blob-missing", "scrub"));
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

    /// <summary>The web rendition (an H.264 derivative) of a record browsers cannot play as is.
    /// Watching it is viewing the record, so it is audited the same way.</summary>
    static async Task<IResult> Rendition(string id, HttpContext http, CurrentUser user, AvLedgerDb db, RecordVault vault, ContentRelease release, CancellationToken ct)
    {
        // A full-quality transcode is as good as a copy: view-only people watch the watermarked stream.
        var record = await user.Scope.Records(db.Records.AsNoTracking(), Access.Copy).Where(r => r.Id == id)
            .Select(r => new { r.Id, r.Sha256, r.Rendition, r.SavedAt, r.PurgedAt }).SingleOrDefaultAsync(ct);
        if (record is null) return Problems.NotFound();
        if (record.PurgedAt is not null) return Problems.From(Core.Retention.RetentionSettings.Purged);
        if (record.Rendition != RenditionState.Ready)
            return Problems.From(new Refusal(404, "no-rendition", record.Rendition == RenditionState.Pending ? "rendition-pending" : "rendition-none"));
        var range = http.Request.Headers.Range.ToString() is { Length: > 0 } r ? r.Replace("bytes=", "rendition ", StringComparison.Ordinal) : "rendition all";
        if (await release.AuditFirstAsync(user.Scope, record.Id, AuditActions.ContentView, range, ct) is { } refused) return Problems.From(refused);
        var stream = await vault.OpenAsync(RecordVault.RenditionKey(record.Sha256), ct);
        if (stream is null) return Problems.NotFound();
        var headers = http.Response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers.CacheControl = "private, no-store";
        // Marks the bytes as a derivative for any client that looks: not the original, not evidence.
        headers["X-AvLedger-Derivative"] = "web-rendition";
        return TypedResults.Stream(stream, Media.Renditions.ContentType, lastModified: record.SavedAt, enableRangeProcessing: true);
    }

    /// <summary>The viewer's own watermarked stream of a video record (see <see cref="Viewings"/>):
    /// what a person who may view but not copy plays. Audited as a viewing, once per viewing.</summary>
    static async Task<IResult> WatchPlaylist(string id, HttpContext http, CurrentUser user, AvLedgerDb db, Viewings viewings, ContentRelease release, CancellationToken ct)
    {
        var record = await user.Scope.Records(db.Records.AsNoTracking(), Access.View).Where(r => r.Id == id)
            .Select(r => new { r.Id, r.Sha256, r.Format, r.MediaKind, r.VideoCodec, r.DurationSeconds, r.PurgedAt }).SingleOrDefaultAsync(ct);
        if (record is null) return Problems.NotFound();
        if (record.PurgedAt is not null) return Problems.From(Core.Retention.RetentionSettings.Purged);
        if (record.MediaKind != "video" || record.VideoCodec is null)
            return Problems.From(new Refusal(409, "watch-needs-picture"));
        if (await release.AuditFirstAsync(user.Scope, record.Id, AuditActions.ContentView, "watch", ct) is { } refused) return Problems.From(refused);
        var playlist = await viewings.PlaylistAsync(user.Account, new Viewings.Watched(record.Id, record.Sha256, record.Format, record.DurationSeconds), ct);
        if (playlist is null)
            return Problems.From(new Refusal(500, "watch-failed"));
        NoStore(http);
        return TypedResults.Text(playlist, "application/vnd.apple.mpegurl");
    }

    static async Task<IResult> WatchSegment(string id, string segment, HttpContext http, CurrentUser user, AvLedgerDb db, Viewings viewings, ContentRelease release, CancellationToken ct)
    {
        if (!IsSegmentName(segment)) return Problems.NotFound();
        if (!await user.Scope.Records(db.Records.AsNoTracking(), Access.View).AnyAsync(r => r.Id == id && r.PurgedAt == null, ct)) return Problems.NotFound();
        if (viewings.Segment(user.Id, id, segment) is not { } path) return Problems.NotFound();
        if (await release.AuditFirstAsync(user.Scope, id, AuditActions.ContentView, "watch", ct) is { } refused) return Problems.From(refused);
        NoStore(http);
        http.Response.Headers["X-AvLedger-Derivative"] = "watermarked-viewing";
        return TypedResults.PhysicalFile(path, "video/mp2t");
    }

    /// <summary>Only names ffmpeg gives segments (seg0.ts …): nothing else in the viewing's folder is served.</summary>
    static bool IsSegmentName(string name) =>
        name.Length is > 6 and <= 12 && name.StartsWith("seg", StringComparison.Ordinal) && name.EndsWith(".ts", StringComparison.Ordinal)
        && name[3..^3].All(char.IsAsciiDigit);

    static void NoStore(HttpContext http)
    {
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
    }

    static async Task<IResult> Thumbnail(string id, CurrentUser user, AvLedgerDb db, RecordVault vault, TimeProvider clock, CancellationToken ct)
    {
        // A thumbnail is a frame of the recording: content, not metadata.
        var record = await db.Records.AsNoTracking().VisibleTo(user, clock.GetUtcNow(), Access.View).Where(r => r.Id == id)
            .Select(r => new { r.Id, r.Sha256, r.HasThumbnail, r.PurgedAt }).SingleOrDefaultAsync(ct);
        if (record is { PurgedAt: not null }) return Problems.From(Core.Retention.RetentionSettings.Purged);
        if (record is not { HasThumbnail: true }) return Problems.NotFound();
        await ContentAudit.RecordAsync(db, user, record.Id, AuditActions.ThumbnailView, "thumbnail", clock.GetUtcNow(), ct);
        var stream = await vault.OpenAsync(RecordVault.ThumbnailKey(record.Sha256), ct);
        return stream is null ? Problems.NotFound() : TypedResults.Stream(stream, "image/jpeg");
    }
}
