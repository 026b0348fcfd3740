using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Sessions;

/// <summary>Art. 9 and 11 (R-9, R-11a): enforcement sessions, their one timeline of segments and gaps,
/// and the reports that explain each interruption.</summary>
public sealed class EnforcementSessions(AvLedgerDb db, ActivityTypeCatalog types, EnforcementSessions.Settings settings)
{
    /// <summary>A gap between segments longer than <paramref name="InterruptionThreshold"/> is an interruption to explain (Art. 11).</summary>
    public sealed record Settings(TimeSpan InterruptionThreshold);

    public sealed record SessionChange(string? ActivityType, string? Title, string? Location);

    internal static Refusal Invalid(string reason, params object[] args) => new(400, "invalid-input", reason, args);

    static Refusal NotYours { get; } = new(403, "not-your-session");

    /// <summary>A value echoed in a refusal is cut short: whatever was sent is not repeated at length.</summary>
    static string Short(string s) => s.Length > 64 ? s[..64] + "…" : s;

    /// <summary>The gaps of each session, with whether a report explains them, in two queries for the lot.</summary>
    public async Task<Dictionary<string, IReadOnlyList<SessionTimeline.Gap>>> GapsAsync(List<string> ids, CancellationToken ct)
    {
        var segments = (await db.Records.AsNoTracking().Where(r => r.SessionId != null && ids.Contains(r.SessionId))
            .Select(r => new { SessionId = r.SessionId!, r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd }).ToListAsync(ct)).ToLookup(r => r.SessionId);
        var reports = (await db.InterruptionReports.AsNoTracking().Where(r => ids.Contains(r.SessionId)).ToListAsync(ct)).ToLookup(r => r.SessionId);
        return ids.ToDictionary(id => id, id => SessionTimeline.Gaps(
            SessionTimeline.Lay(segments[id].Select(r => (r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd))), reports[id], settings.InterruptionThreshold));
    }

    /// <summary>How many gaps of each session still lack a report.</summary>
    public async Task<Dictionary<string, int>> UnexplainedGapsAsync(List<string> ids, CancellationToken ct) =>
        (await GapsAsync(ids, ct)).ToDictionary(x => x.Key, x => x.Value.Count(g => !g.Explained));

    /// <summary>The session the person may know of, tracked, with its officers and devices.</summary>
    async Task<EnforcementSession?> FindAsync(Scope actor, string id, CancellationToken ct) =>
        Ids.LooksValid(id) ? await actor.Sessions(db.Sessions).Include(s => s.Officers).Include(s => s.Devices).SingleOrDefaultAsync(s => s.Id == id, ct) : null;

    /// <summary>Its officers, and heads over its unit, complete a session's activity type, title and location (<see cref="Scope.MayChange"/>).</summary>
    public async Task<Refusal?> ChangeAsync(Scope actor, string id, SessionChange change, CancellationToken ct)
    {
        var session = await FindAsync(actor, id, ct);
        if (session is null) return Refusal.NotFound;
        if (!actor.MayChange(session)) return NotYours;
        if (change.ActivityType is not null && !types.IsKnown(change.ActivityType)) return Invalid("activity-type-unknown", Short(change.ActivityType));
        if (change.Title?.Length > 500 || change.Location?.Length > 500) return Invalid("title-and-location");
        if (change.ActivityType is null && change.Title is null && change.Location is null) return Invalid("nothing-to-change");
        if (change.ActivityType is not null) session.ActivityType = change.ActivityType;
        if (change.Title is not null) session.Title = change.Title.Trim();
        if (change.Location is not null) session.Location = change.Location.Trim();
        var text = $"{session.Title}\n{session.Location}";
        db.LedgerPending.Add(LedgerLeaves.SessionChanged("session.changed", session, actor.Id, AccessRequests.Commit(id, text), actor.Now));
        await db.SaveChangesAsync(ct);
        return null;
    }
}
