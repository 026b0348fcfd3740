using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;

namespace AvLedger.Core.Accounts;

/// <summary>Role grants, password resets and disablements: each is an audit event on the
/// administration alert list and a ledger leaf, in the same transaction as the change itself.</summary>
public static class AdministrationEvents
{
    public static AuditEvent Add(AvLedgerDb db, string actorId, string action, string subjectId, string? detail, DateTimeOffset now)
    {
        var e = new AuditEvent
        {
            Id = Ids.New(),
            At = now,
            LastAt = now,
            ActorId = actorId,
            Action = action,
            SubjectId = subjectId,
            Detail = detail,
            Requests = 1,
        };
        db.AuditEvents.Add(e);
        db.LedgerPending.Add(LedgerLeaves.Audit(e));
        return e;
    }

    public static string Describe(Role roles) => string.Join(',', Roles.Each(roles));

    /// <summary>The roles, then state-secret clearance when it is part of what is described.</summary>
    public static string Describe(Role roles, bool clearance) =>
        string.Join(',', Roles.Each(roles).Select(r => r.ToString()).Concat(clearance ? ["StateSecretClearance"] : []));
}
