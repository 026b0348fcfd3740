using AvLedger.Core.Accounts;

namespace AvLedger.Core.Sessions;

public static class SessionQueries
{
    /// <summary>Sessions <paramref name="user"/> may know of: those of their unit's subtree for heads,
    /// inspectors, legal officers and auditors; for officers those they took part in.</summary>
    public static IQueryable<EnforcementSession> VisibleTo(this IQueryable<EnforcementSession> sessions, Account user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.Id;
        var path = user.UnitPath;
        var subtree = path is not null && user.Has(Roles.SubtreeRoles | Role.Auditor);
        var member = user.Has(Role.Officer);
        return sessions.Where(s => (subtree && s.UnitPath.StartsWith(path!)) || (member && s.Officers.Any(o => o.AccountId == id)));
    }
}
