using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Sessions;

/// <summary>Art. 10 (R-10): time-coded key-content markers on a record, each a ledger leaf.</summary>
public static class MarkersApi
{
    public sealed record NewMarker(double? OffsetSeconds, string? Category, string? Note);
    public sealed record MarkerView(string Id, double OffsetSeconds, string Category, string Note, string? By, DateTimeOffset CreatedAt);

    public static void MapMarkers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/records/{id}/markers", ListAsync).RequireAuthorization();
        app.MapPost("/api/v1/records/{id}/markers", AddAsync).RequireAuthorization();
    }

    public static async Task<List<MarkerView>?> ForAsync(string id, Account user, AvLedgerDb db, DateTimeOffset now, CancellationToken ct)
    {
        if (!Ids.LooksValid(id) || !await db.Records.VisibleTo(user, now).AnyAsync(r => r.Id == id, ct)) return null;
        var rows = await db.KeyContentMarkers.AsNoTracking().Where(m => m.RecordId == id).OrderBy(m => m.OffsetSeconds).ThenBy(m => m.CreatedAt)
            .Select(m => new { m, By = db.Accounts.Where(a => a.Id == m.CreatedById).Select(a => a.DisplayName).FirstOrDefault() }).ToListAsync(ct);
        return rows.Select(x => new MarkerView(x.m.Id, x.m.OffsetSeconds, SessionsApi.Camel(x.m.Category.ToString()), x.m.Note, x.By, RecordingTimes.ToChina(x.m.CreatedAt))).ToList();
    }

    static async Task<IResult> ListAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct) =>
        await ForAsync(id, user, db, clock.GetUtcNow(), ct) is { } markers ? TypedResults.Ok(markers) : Problems.NotFound();

    /// <summary>The record's officer, an officer of its session, or a head, inspector or legal officer over its unit
    /// marks it; others who may only see it (grantees, auditors) may not.</summary>
    public static async Task<IResult> AddAsync(string id, NewMarker m, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = Ids.LooksValid(id) ? await db.Records.AsNoTracking().VisibleTo(user, now)
            .Select(r => new { r.Id, r.OfficerId, r.UnitPath, r.DurationSeconds, Member = r.Session != null && r.Session.Officers.Any(o => o.AccountId == user.Id) })
            .SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (record is null) return Problems.NotFound();
        if (!user.Scope.MarksKeyContent(record.OfficerId, record.UnitPath, record.Member))
            return Problems.Of(403, "not-permitted-to-mark", "无权标记", "Not permitted to mark", "关键内容由记录的执法人员或其单位负责人、督察、法制人员标记。", "The record's officers, or a head, inspector or legal officer over its unit, mark key content.");
        if (m.OffsetSeconds is not { } offset || offset < 0 || (record.DurationSeconds is { } d && offset > d + 0.5) || double.IsNaN(offset))
            return SessionsApi.Invalid($"标记位置须在 0 到 {record.DurationSeconds:0.#} 秒之间。", $"The position must be between 0 and {record.DurationSeconds:0.#} seconds.");
        if (!Enum.TryParse<KeyContent>(m.Category, ignoreCase: true, out var category) || !Enum.IsDefined(category) || int.TryParse(m.Category, out _))
            return SessionsApi.Invalid($"关键内容类别须为：{string.Join("、", Enum.GetNames<KeyContent>().Select(SessionsApi.Camel))}。", $"The category must be one of: {string.Join(", ", Enum.GetNames<KeyContent>().Select(SessionsApi.Camel))}.");
        if (m.Note is null || m.Note.Length > 2000) return SessionsApi.Invalid("请填写说明（不超过 2000 字，可为空字符串）。", "Give a note (at most 2000 characters; may be empty).");
        var marker = new KeyContentMarker
        {
            Id = Ids.New(),
            RecordId = record.Id,
            OffsetSeconds = Math.Round(offset, 3),
            Category = category,
            Note = m.Note.Trim(),
            NoteSalt = AccessRequests.NewSalt(),
            CreatedById = user.Id,
            CreatedAt = now,
        };
        db.KeyContentMarkers.Add(marker);
        db.LedgerPending.Add(LedgerLeaves.MarkerAdded(marker, AccessRequests.Commit(marker.NoteSalt, marker.Note)));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/records/{id}/markers", new { id = marker.Id });
    }
}
