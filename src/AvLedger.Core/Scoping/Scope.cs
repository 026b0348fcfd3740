using System.Linq.Expressions;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Cases;
using AvLedger.Core.Devices;
using AvLedger.Core.Records;
using AvLedger.Core.Retention;
using AvLedger.Core.Sessions;
using AvLedger.Core.Units;
using LinqKit;

namespace AvLedger.Core.Scoping;

/// <summary>What the signed-in person may reach (Art. 17: access follows role and unit). Every
/// "may this person …" question is answered here, inside the query where there is one, so that
/// "not yours" and "does not exist" cannot be told apart. Two rules carry the rest:
/// a unit lies under another when its path starts with the other's (<see cref="Under"/>), and an
/// approval's grant counts while it is neither revoked nor expired (<see cref="IsLive"/>).</summary>
public sealed class Scope(Account person, DateTimeOffset now)
{
    public Account Person { get; } = person ?? throw new ArgumentNullException(nameof(person));
    public DateTimeOffset Now { get; } = now;
    public string Id => Person.Id;

    /// <summary>A collection station signed in with its upload-only key.</summary>
    public bool IsStation => Person.Username.StartsWith(Account.StationPrefix, StringComparison.Ordinal);

    /// <summary>The unit-subtree rule: <paramref name="path"/> is <paramref name="ancestor"/>'s unit or one below it.</summary>
    public static readonly Expression<Func<string?, string?, bool>> IsUnder = (path, ancestor) => ancestor != null && path != null && path.StartsWith(ancestor);

    /// <summary><see cref="IsUnder"/> for values already in memory (ordinal, as the database compares).</summary>
    public static bool Under(string? path, string? ancestor) => ancestor is not null && path is not null && path.StartsWith(ancestor, StringComparison.Ordinal);

    /// <summary>The live-grant rule: written approval opens access until revoked or expired.</summary>
    public static readonly Expression<Func<AccessGrant?, DateTimeOffset, bool>> IsLive = (g, at) => g != null && g.RevokedAt == null && g.ExpiresAt > at;

    /// <summary>A unit path under the person's own unit (or the unit itself).</summary>
    public bool Covers(string? unitPath) => Under(unitPath, Person.UnitPath);

    /// <summary>A department head of the unit at or above <paramref name="unitPath"/>.</summary>
    public bool HeadsOver(string? unitPath) => Person.Has(Role.DepartmentHead) && Covers(unitPath);

    /// <summary>Heads, inspectors and legal officers see their unit's subtree; with <paramref name="auditor"/>, auditors too (metadata only).</summary>
    bool SeesSubtree(bool auditor = false) => Person.UnitPath is not null && Person.Has(Roles.SubtreeRoles | (auditor ? Role.Auditor : Role.None));

    static IQueryable<T> Where<T>(IQueryable<T> source, Expression<Func<T, bool>> predicate) => source.Where(predicate.Expand());

    /// <summary>The records the person may reach for <paramref name="access"/>: know of, play, or copy.</summary>
    public IQueryable<Record> Records(IQueryable<Record> records, Access access = Access.Metadata)
    {
        var id = Id;
        var path = Person.UnitPath;
        var unitId = Person.UnitId;
        var at = Now;
        var subtree = SeesSubtree(auditor: access == Access.Metadata);
        var own = Person.Has(Role.Officer);
        // Unassigned uploads wait with the heads and custodians of the uploading station's unit.
        var unassigned = access == Access.Metadata && unitId is not null && Person.Has(Role.DepartmentHead | Role.DeviceCustodian);
        var cleared = Person.ClearedForStateSecrets;
        var copyOnly = access == Access.Copy;
        // Taking part in an enforcement session grants nothing: others' segments are spans on its timeline,
        // their content needs scope or a grant (scope never grows by association).
        return Where(records, r =>
            ((subtree && IsUnder.Invoke(r.UnitPath, path))
             || (own && r.OfficerId == id)
             || (unassigned && r.Unassigned && r.UnitId == unitId)
             || r.Approvals.Any(a => a.Decision!.Grant != null && a.Decision.Grant.GranteeId == id && IsLive.Invoke(a.Decision.Grant, at)
                 && a.Decision.Grant.Kind != AccessKind.Provide && (!copyOnly || a.Decision.Grant.Kind == AccessKind.Copy)))
            && (cleared || r.Confidentiality != Confidentiality.StateSecret));
    }

    /// <summary>Records an approved external provision lets the person export, under <paramref name="provisionId"/> if named:
    /// that and nothing else — a provision grant opens no playback or download.</summary>
    public IQueryable<Record> Providable(IQueryable<Record> records, string? provisionId = null)
    {
        var id = Id;
        var at = Now;
        return Where(records, r => r.Approvals.Any(a => a.Decision!.Grant != null && a.Decision.Grant.GranteeId == id && IsLive.Invoke(a.Decision.Grant, at)
            && a.Decision.Grant.Kind == AccessKind.Provide && (provisionId == null || a.Decision.RequestId == provisionId)));
    }

    /// <summary>Sessions of the unit's subtree for heads, inspectors, legal officers and auditors; officers those they took part in.</summary>
    public IQueryable<EnforcementSession> Sessions(IQueryable<EnforcementSession> sessions)
    {
        var id = Id;
        var path = Person.UnitPath;
        var subtree = SeesSubtree(auditor: true);
        var member = Person.Has(Role.Officer);
        return Where(sessions, s => (subtree && IsUnder.Invoke(s.UnitPath, path)) || (member && s.Officers.Any(o => o.AccountId == id)));
    }

    /// <summary>Its officers, and heads over its unit, change a session and report its interruptions.</summary>
    public bool MayChange(EnforcementSession session) =>
        session.Officers.Any(o => o.AccountId == Id) || HeadsOver(session.UnitPath);

    /// <summary>Cases of the subtree for heads, inspectors, legal officers and auditors; for an officer those
    /// linked to their own records or to sessions they took part in.</summary>
    public IQueryable<Case> Cases(IQueryable<Case> cases, IQueryable<Record> records, IQueryable<SessionOfficer> sessionOfficers)
    {
        var id = Id;
        var path = Person.UnitPath;
        var subtree = SeesSubtree(auditor: true);
        var own = Person.Has(Role.Officer);
        return Where(cases, c => (subtree && IsUnder.Invoke(c.UnitPath, path))
            || (own && c.Links.Any(l => (l.RecordId != null && records.Any(r => r.Id == l.RecordId && r.OfficerId == id))
                || (l.SessionId != null && sessionOfficers.Any(o => o.SessionId == l.SessionId && o.AccountId == id)))));
    }

    /// <summary>Legal officers and heads handle (create, change, link) the cases of their unit's subtree.</summary>
    public const Role CaseHandlers = Role.LegalOfficer | Role.DepartmentHead;

    public bool HandlesCasesOf(string? unitPath) => Person.Has(CaseHandlers) && Covers(unitPath);

    public IQueryable<Case> HandledCases(IQueryable<Case> cases)
    {
        var path = Person.UnitPath;
        var handler = path is not null && Person.Has(CaseHandlers);
        return Where(cases, c => handler && IsUnder.Invoke(c.UnitPath, path));
    }

    /// <summary>Officers see their own reports of activities not recorded; heads, inspectors and auditors their unit's subtree.</summary>
    public IQueryable<NoRecordingReport> NoRecordingReports(IQueryable<NoRecordingReport> reports)
    {
        var id = Id;
        var path = Person.UnitPath;
        var subtree = path is not null && Person.Has(Role.DepartmentHead | Role.Inspector | Role.Auditor);
        return Where(reports, r => r.OfficerId == id || (subtree && IsUnder.Invoke(r.UnitPath, path)));
    }

    /// <summary>Reports a head over their unit acknowledges.</summary>
    public IQueryable<NoRecordingReport> HeadedReports(IQueryable<NoRecordingReport> reports)
    {
        var path = Person.UnitPath;
        var head = Person.Has(Role.DepartmentHead);
        return Where(reports, r => head && IsUnder.Invoke(r.UnitPath, path));
    }

    /// <summary>Purge proposals for records of the person's subtree that they may see.</summary>
    public IQueryable<PurgeProposal> PurgeProposals(IQueryable<PurgeProposal> proposals, IQueryable<Record> records)
    {
        var path = Person.UnitPath;
        var visible = Records(records).Select(r => r.Id);
        return Where(proposals, p => IsUnder.Invoke(p.UnitPath, path) && visible.Contains(p.RecordId));
    }

    /// <summary>Records of the person's own subtree, among those they may see (a grant does not put a record in one's charge).</summary>
    public IQueryable<Record> RecordsInCharge(IQueryable<Record> records)
    {
        var path = Person.UnitPath;
        return Where(Records(records), r => IsUnder.Invoke(r.UnitPath, path));
    }

    /// <summary>Sessions of the person's own subtree, whatever their role.</summary>
    public IQueryable<EnforcementSession> SessionsInCharge(IQueryable<EnforcementSession> sessions)
    {
        var path = Person.UnitPath;
        return Where(sessions, s => IsUnder.Invoke(s.UnitPath, path));
    }

    public IQueryable<Case> CasesInCharge(IQueryable<Case> cases)
    {
        var path = Person.UnitPath;
        return Where(cases, c => IsUnder.Invoke(c.UnitPath, path));
    }

    /// <summary>The units of the person's subtree.</summary>
    public IQueryable<Unit> Units(IQueryable<Unit> units)
    {
        var path = Person.UnitPath;
        return Where(units, u => IsUnder.Invoke(u.Path, path));
    }

    /// <summary>The people of the person's subtree.</summary>
    public IQueryable<Account> People(IQueryable<Account> people)
    {
        var path = Person.UnitPath;
        return Where(people, a => IsUnder.Invoke(a.UnitPath, path));
    }

    /// <summary>Pending role grants the person may see: all for an administrator; for a head, those of
    /// people in units strictly below their own; nobody else sees any.</summary>
    public IQueryable<RoleGrant> RoleGrants(IQueryable<RoleGrant> grants, IQueryable<Account> people)
    {
        if (Person.Has(Role.SystemAdministrator)) return grants;
        var id = Id;
        var above = Person.UnitPath;
        var head = above is not null && Person.Has(Role.DepartmentHead);
        return Where(grants, g => head && people.Any(a => a.Id == g.AccountId && a.Id != id && IsUnder.Invoke(a.UnitPath, above) && a.UnitPath != above));
    }

    /// <summary>A head of a unit strictly above <paramref name="subject"/>'s.</summary>
    public bool HeadsAbove(Account subject) =>
        HeadsOver(subject.UnitPath) && subject.UnitPath!.Length > Person.UnitPath!.Length;

    /// <summary>The heads of the deciding unit decide its part of an access request; nobody else learns a request exists.</summary>
    public bool Decides(AccessDecision decision) => Person.Has(Role.DepartmentHead) && Person.UnitId == decision.DecidingUnitId;

    /// <summary>The heads of the superior unit asked for an opinion on a provision before it is decided.</summary>
    public bool IsConsultedOn(AccessDecision decision) =>
        Person.Has(Role.DepartmentHead) && decision.ConsultUnitId is not null && Person.UnitId == decision.ConsultUnitId;

    /// <summary>Its requester, its approver, the deciding unit's heads and auditors over that unit read an approval document.</summary>
    public bool ReadsApproval(AccessDecision decision, string decidingUnitPath) =>
        decision.Request!.RequesterId == Id || decision.ApproverId == Id || Decides(decision)
        || Person.Has(Role.Auditor) && Covers(decidingUnitPath);

    /// <summary>Key content is marked by the record's officer, the officers of its session, and heads,
    /// inspectors and legal officers over its unit (Art. 10); grantees and auditors only see it.</summary>
    public bool MarksKeyContent(string? officerId, string? unitPath, bool sessionMember) =>
        officerId == Id || sessionMember || Person.Has(Roles.SubtreeRoles) && Covers(unitPath);

    /// <summary>Administrators look after every collection station; a device custodian only their own unit's.</summary>
    public bool LooksAfterStation(string? stationUnitId) =>
        Person.Has(Role.SystemAdministrator) || Person.Has(Role.DeviceCustodian) && stationUnitId is not null && stationUnitId == Person.UnitId;

    /// <summary>The devices an upload may name: until devices are assigned to people, a person's own
    /// upload names a recorder of their unit; a station (the dock the recorder sits in) any registered one.</summary>
    public IQueryable<Device> DevicesToName(IQueryable<Device> devices)
    {
        var station = IsStation;
        var unitId = Person.UnitId;
        return devices.Where(d => station || (unitId != null && d.UnitId == unitId));
    }
}
