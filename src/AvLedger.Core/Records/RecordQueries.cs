using AvLedger.Core.Approvals;
using AvLedger.Core.Accounts;

namespace AvLedger.Core.Records;

/// <summary>What a user may do with a record: know it exists (metadata), play it (view), or copy it (download).</summary>
public enum Access { Metadata, View, Copy }

public static class RecordQueries
{
    /// <summary>The records <paramref name="user"/> may reach for <paramref name="access"/> (Art. 17).
    /// Every path that touches records starts here, so scope lives inside the query and "not
    /// yours" is indistinguishable from "does not exist".</summary>
    public static IQueryable<Record> VisibleTo(this IQueryable<Record> records, Account user, DateTimeOffset now, Access access = Access.Metadata)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.Id;
        var path = user.UnitPath;
        var unitId = user.UnitId;
        // Heads, inspectors and legal officers see their unit's subtree; auditors its metadata only.
        var subtree = path is not null && (user.Has(Roles.SubtreeRoles) || access == Access.Metadata && user.Has(Role.Auditor));
        // An officer sees what they recorded.
        var own = user.Has(Role.Officer);
        // Unassigned uploads wait with the heads and custodians of the uploading station's unit.
        var unassigned = access == Access.Metadata && unitId is not null && user.Has(Role.DepartmentHead | Role.DeviceCustodian);
        var cleared = user.ClearedForStateSecrets;
        // Beyond scope only with a head's written approval: a live grant of the right kind (Art. 17).
        var copyOnly = access == Access.Copy;
        // Taking part in an enforcement session grants nothing: others' segments are spans on its timeline,
        // their content needs scope or a grant: scope never grows by association.
        return records.Where(r =>
            ((subtree && r.UnitPath != null && r.UnitPath.StartsWith(path!))
             || (own && r.OfficerId == id)
             || (unassigned && r.Unassigned && r.UnitId == unitId)
             || r.Approvals.Any(a => a.Decision!.Grant != null && a.Decision.Grant.GranteeId == id && a.Decision.Grant.RevokedAt == null
                 && a.Decision.Grant.ExpiresAt > now && a.Decision.Grant.Kind != AccessKind.Provide
                 && (!copyOnly || a.Decision.Grant.Kind == AccessKind.Copy)))
            && (cleared || r.Confidentiality != Confidentiality.StateSecret));
    }

    /// <summary>Records an approved external provision lets <paramref name="user"/> export (Art. 17):
    /// that and nothing else — a provision grant opens no playback or download.</summary>
    public static IQueryable<Record> ProvidableBy(this IQueryable<Record> records, Account user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.Id;
        return records.Where(r => r.Approvals.Any(a => a.Decision!.Grant != null && a.Decision.Grant.GranteeId == id && a.Decision.Grant.RevokedAt == null
            && a.Decision.Grant.ExpiresAt > now && a.Decision.Grant.Kind == AccessKind.Provide));
    }
}
