using AvLedger.Core.Accounts;
using AvLedger.Core.Scoping;

namespace AvLedger.Core.Sessions;

public static class SessionQueries
{
    /// <summary>Sessions <paramref name="user"/> may know of: <see cref="Scope.Sessions"/>.</summary>
    public static IQueryable<EnforcementSession> VisibleTo(this IQueryable<EnforcementSession> sessions, Account user) =>
        new Scope(user, DateTimeOffset.MinValue).Sessions(sessions);
}
