using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Sessions;

/// <summary>What an officer owes (Art. 4, 11, 12): gaps to explain, late saves to give a reason for,
/// and automatically grouped sessions whose activity type is still to be completed.</summary>
public sealed class OfficerInbox(AvLedgerDb db, EnforcementSessions sessions)
{
    public sealed record OwedGap(string SessionId, string GapId, DateTimeOffset From, DateTimeOffset To, double Seconds);
    public sealed record OwedLateSave(string RecordId, string FileName, DateTimeOffset RecordedEnd, DateTimeOffset SavedAt, string? ReturnOpinion);
    public sealed record OwedSession(string SessionId, DateTimeOffset Start, DateTimeOffset End);
    public sealed record Inbox(IReadOnlyList<OwedGap> Gaps, IReadOnlyList<OwedLateSave> LateSaves, IReadOnlyList<OwedSession> SessionsToComplete)
    {
        public int Count => Gaps.Count + LateSaves.Count + SessionsToComplete.Count;
    }

    public async Task<Inbox> ForAsync(Scope officer, CancellationToken ct)
    {
        var accountId = officer.Id;
        var mine = await db.Sessions.AsNoTracking().Where(s => s.Officers.Any(o => o.AccountId == accountId))
            .Select(s => new { s.Id, s.ActivityType, s.Start, s.End }).ToListAsync(ct);
        var all = await sessions.GapsAsync(mine.Select(s => s.Id).ToList(), ct);
        var gaps = mine.SelectMany(s => all[s.Id].Where(g => !g.Explained)
            .Select(g => new OwedGap(s.Id, g.Id, RecordingTimes.ToChina(g.From), RecordingTimes.ToChina(g.To), g.Seconds)))
            .OrderBy(g => g.From).ToList();
        var lateSaves = (await db.Records.AsNoTracking().Where(r => r.OfficerId == accountId && r.LateSave == true && r.LateSaveAcknowledgedAt == null && (r.LateSaveReasonAt == null || r.LateSaveReturnedAt != null))
            .OrderBy(r => r.SavedAt).Select(r => new OwedLateSave(r.Id, r.FileName, r.RecordedEnd, r.SavedAt, r.LateSaveReturnedAt != null ? r.LateSaveReturnOpinion : null)).ToListAsync(ct))
            .Select(r => r with { RecordedEnd = RecordingTimes.ToChina(r.RecordedEnd), SavedAt = RecordingTimes.ToChina(r.SavedAt) }).ToList();
        var toComplete = mine.Where(s => s.ActivityType is null).OrderBy(s => s.Start)
            .Select(s => new OwedSession(s.Id, RecordingTimes.ToChina(s.Start), RecordingTimes.ToChina(s.End))).ToList();
        return new Inbox(gaps, lateSaves, toComplete);
    }
}
