using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Audit;

/// <summary>Art. 17 (against misuse): the copies one person may make in an hour, in one budget for
/// every kind of copy — an original played or downloaded, a clip played or downloaded, an evidence
/// package downloaded. One copy is one audit window: the many Range requests of a playback, or a
/// resumed download, continue the copy they belong to and cost nothing more. Web renditions and the
/// watermarked viewing stream are playback, not copies, and are not counted.</summary>
public static class CopyAllowance
{
    /// <summary>Whether a request would open a new copy beyond <paramref name="perHour"/>. A request
    /// continuing an open window (same person, action and record, or same package) is always allowed.</summary>
    public static async Task<bool> ExceededAsync(AvLedgerDb db, string actorId, string action, string? recordId, string? packageId, int perHour, DateTimeOffset now, CancellationToken ct)
    {
        var windowStart = now - ContentAudit.ViewingWindow;
        var continues = action == AuditActions.PackageDownload
            ? db.AuditEvents.Where(e => e.ActorId == actorId && e.Action == action && e.SubjectId == packageId && e.LastAt >= windowStart)
            : db.AuditEvents.Where(e => e.ActorId == actorId && e.Action == action && e.RecordId == recordId && e.LastAt >= windowStart);
        if (await continues.AnyAsync(ct)) return false;
        var hourAgo = now - TimeSpan.FromHours(1);
        var opened = await db.AuditEvents.CountAsync(e => e.ActorId == actorId && e.At >= hourAgo
            && (e.Action == AuditActions.ContentDownload || e.Action == AuditActions.PackageDownload
                || (e.Action == AuditActions.ContentView && e.Ranges != null && !e.Ranges.StartsWith("rendition") && !e.Ranges.StartsWith("watch"))), ct);
        return opened >= perHour;
    }
}
