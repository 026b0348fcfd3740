using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Compliance;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Core.Records;
using AvLedger.Core.Retention;
using AvLedger.Core.Scoping;
using AvLedger.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Workbench;

/// <summary>What waits for a person, by the page where they deal with it (the menu's badge counts and the
/// landing page), and what each role starts the day with. Every count is the one its page's list shows.</summary>
public sealed class Workbench(AvLedgerDb db, OfficerInbox inbox, WrittenApprovals approvals, RecordChanges changes, LateSaves lateSaves,
    NoRecordingReports noRecording, RoleGrantReview grants, PurgeDecisions purges, RecordedTimes recordedTimes)
{
    public const int RecentCount = 10;

    /// <summary>A page and how many things on it wait for the person.</summary>
    public sealed record Waiting(string Page, int Count);

    public sealed record DeviceRow(string Code, DeviceKind Kind, string? UnitName);
    public sealed record UnassignedRow(string RecordId, string FileName, string? DeviceCode, DateTimeOffset RecordedStart, DateTimeOffset SavedAt);
    public sealed record Officer(string Badge, string Name);
    public sealed record Overview(IReadOnlyList<Waiting> Waiting, IReadOnlyList<RecordFinder.Listed> Recent, IReadOnlyList<DeviceRow> Devices,
        IReadOnlyList<UnassignedRow> Unassigned, IReadOnlyList<Officer> Assignable, int Units, int People);

    /// <summary>The pages with something waiting for the person, in the menu's order; pages with nothing are left out.</summary>
    public async Task<IReadOnlyList<Waiting>> WaitingAsync(Scope actor, CancellationToken ct)
    {
        var person = actor.Person;
        var waiting = new List<Waiting>();
        void Add(string page, int count) { if (count > 0) waiting.Add(new Waiting(page, count)); }
        if (person.Has(Role.Officer)) Add(Pages.Inbox, (await inbox.ForAsync(actor, ct)).Count);
        if (person.Has(Role.DepartmentHead))
        {
            Add(Pages.Approvals, await approvals.PendingCountAsync(actor, ct) + await changes.PendingCountAsync(actor, ct));
            Add(Pages.LateSaves, await lateSaves.AwaitingAcknowledgementCountAsync(actor, ct));
            Add(Pages.RecordedTimes, await recordedTimes.FlaggedCountAsync(actor, ct));
            Add(Pages.NoRecording, await noRecording.UnacknowledgedCountAsync(actor, ct));
            Add(Pages.RoleGrants, (await grants.ListAsync(actor, RoleGrantState.Pending, ct)).Count(g => g.MayDecide));
            Add(Pages.Retention, await purges.ProposedCountAsync(actor, ct));
        }
        if (person.Has(Role.DeviceCustodian | Role.DepartmentHead)) Add(Pages.Unassigned, await UnassignedQuery(actor).CountAsync(ct));
        return waiting;
    }

    /// <summary>The landing page's content for the person's roles.</summary>
    public async Task<Overview> OverviewAsync(Scope actor, RecordFinder finder, CancellationToken ct)
    {
        var person = actor.Person;
        var waiting = await WaitingAsync(actor, ct);
        IReadOnlyList<RecordFinder.Listed> recent = person.Has(Role.Officer) && person.Badge is { } badge
            ? (await finder.PageAsync(actor, new RecordSearch { Officer = badge, Sort = RecordSort.Recorded, PageSize = RecentCount }, ct)).Rows
            : [];
        List<DeviceRow> devices = [];
        List<UnassignedRow> unassigned = [];
        if (person.Has(Role.DeviceCustodian))
        {
            var units = actor.Units(db.Units.AsNoTracking());
            devices = await db.Devices.AsNoTracking().Where(d => units.Any(u => u.Id == d.UnitId)).OrderBy(d => d.Code).Take(200)
                .Select(d => new DeviceRow(d.Code, d.Kind, db.Units.Where(u => u.Id == d.UnitId).Select(u => u.ShortName ?? u.Name).FirstOrDefault())).ToListAsync(ct);
        }
        if (person.Has(Role.DeviceCustodian | Role.DepartmentHead))
            unassigned = (await UnassignedQuery(actor).OrderByDescending(r => r.SavedAt).Take(50)
                .Select(r => new UnassignedRow(r.Id, r.FileName, r.DeviceCode, r.RecordedStart, r.SavedAt)).ToListAsync(ct))
                .Select(r => r with { RecordedStart = RecordingTimes.ToChina(r.RecordedStart), SavedAt = RecordingTimes.ToChina(r.SavedAt) }).ToList();
        List<Officer> assignable = [];
        if (unassigned.Count > 0)
            assignable = await actor.People(db.Accounts.AsNoTracking()).Where(a => a.Badge != null && !a.Disabled).OrderBy(a => a.Badge).Take(500)
                .Select(a => new Officer(a.Badge!, a.DisplayName)).ToListAsync(ct);
        int unitCount = 0, peopleCount = 0;
        if (person.Has(Role.SystemAdministrator))
        {
            unitCount = await actor.Units(db.Units.AsNoTracking()).CountAsync(ct);
            peopleCount = await actor.People(db.Accounts.AsNoTracking()).CountAsync(ct);
        }
        return new Overview(waiting, recent, devices, unassigned, assignable, unitCount, peopleCount);
    }

    /// <summary>Uploads that named no known officer, of the person's own unit: the ones <see cref="RecordChanges.AssignAsync"/> lets them assign.</summary>
    IQueryable<Record> UnassignedQuery(Scope actor)
    {
        var unitId = actor.Person.UnitId;
        return actor.Records(db.Records.AsNoTracking()).Where(r => r.Unassigned && r.UnitId == unitId && r.PurgedAt == null);
    }

    /// <summary>The pages counts are given for (their paths, as the menu links them).</summary>
    public static class Pages
    {
        public const string Inbox = "/inbox";
        public const string Approvals = "/approvals";
        public const string LateSaves = "/compliance/late-saves";
        public const string RecordedTimes = "/compliance/recorded-times";
        public const string NoRecording = "/no-recording";
        public const string RoleGrants = "/role-grants";
        public const string Retention = "/retention";
        public const string Unassigned = "/workbench#unassigned";
    }
}
