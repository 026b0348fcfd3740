using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Audit;

/// <summary>Writes the audit event for a content read before any byte goes out. A player's many
/// Range requests within one viewing window become one event with the ranges summarised.</summary>
public static class ContentAudit
{
    public static readonly TimeSpan ViewingWindow = TimeSpan.FromMinutes(10);
    const int MaxRangesText = 2000;

    public static async Task RecordAsync(AvLedgerDb db, Account user, string recordId, string action, string range, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - ViewingWindow;
        var open = await db.AuditEvents
            .Where(e => e.ActorId == user.Id && e.RecordId == recordId && e.Action == action && e.LastAt >= since)
            .OrderByDescending(e => e.LastAt)
            .FirstOrDefaultAsync(ct);
        if (open is null)
        {
            var viewing = new AuditEvent
            {
                Id = Ids.New(),
                At = now,
                LastAt = now,
                ActorId = user.Id,
                Action = action,
                RecordId = recordId,
                Ranges = range,
                Requests = 1,
            };
            db.AuditEvents.Add(viewing);
            // The viewing enters the ledger once; later range requests of it only widen its summary.
            db.LedgerPending.Add(LedgerLeaves.Audit(viewing));
        }
        else
        {
            open.LastAt = now;
            open.Requests++;
            open.Ranges = Summarise(open.Ranges, range);
        }
        await db.SaveChangesAsync(ct);
    }

    static string Summarise(string? existing, string range)
    {
        if (string.IsNullOrEmpty(existing)) return range;
        var parts = existing.Split(',');
        if (parts.Contains(range)) return existing;
        var joined = existing + "," + range;
        return joined.Length <= MaxRangesText ? joined : existing.EndsWith(",…", StringComparison.Ordinal) ? existing : existing + ",…";
    }
}
