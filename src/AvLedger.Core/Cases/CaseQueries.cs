using AvLedger.Core.Accounts;
using AvLedger.Core.Records;
using AvLedger.Core.Sessions;

namespace AvLedger.Core.Cases;

public static class CaseQueries
{
    /// <summary>The cases <paramref name="user"/> may know of (Art. 17): heads, inspectors, legal officers
    /// and auditors those of their unit's subtree; an officer those linked to their own records or to
    /// sessions they took part in.</summary>
    public static IQueryable<Case> VisibleTo(this IQueryable<Case> cases, IQueryable<Record> records, IQueryable<SessionOfficer> sessionOfficers, Account user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.Id;
        var path = user.UnitPath;
        var subtree = path is not null && user.Has(Roles.SubtreeRoles | Role.Auditor);
        var own = user.Has(Role.Officer);
        return cases.Where(c => (subtree && c.UnitPath.StartsWith(path!))
            || (own && c.Links.Any(l => (l.RecordId != null && records.Any(r => r.Id == l.RecordId && r.OfficerId == id))
                || (l.SessionId != null && sessionOfficers.Any(o => o.SessionId == l.SessionId && o.AccountId == id)))));
    }

    /// <summary>Records linked to the case numbered <paramref name="number"/>, directly or through their session.</summary>
    public static IQueryable<Record> LinkedToCase(this IQueryable<Record> records, IQueryable<CaseLink>? links, string number) => links is null
        ? records.Where(r => r.CaseLinks.Any(l => l.Case!.Number == number))
        : records.Where(r => r.CaseLinks.Any(l => l.Case!.Number == number)
            || (r.SessionId != null && links.Any(l => l.SessionId == r.SessionId && l.Case!.Number == number)));

    /// <summary>Records whose file name, or a linked case's number, title, plates or parties, contain <paramref name="text"/>.</summary>
    public static IQueryable<Record> MatchingText(this IQueryable<Record> records, IQueryable<CaseLink>? links, string text) => links is null
        ? records.Where(r => r.FileName.Contains(text)
            || r.CaseLinks.Any(l => l.Case!.Number.Contains(text) || l.Case.Title.Contains(text) || (l.Case.Plates != null && l.Case.Plates.Contains(text)) || (l.Case.Parties != null && l.Case.Parties.Contains(text))))
        : records.Where(r => r.FileName.Contains(text)
            || r.CaseLinks.Any(l => l.Case!.Number.Contains(text) || l.Case.Title.Contains(text) || (l.Case.Plates != null && l.Case.Plates.Contains(text)) || (l.Case.Parties != null && l.Case.Parties.Contains(text)))
            || (r.SessionId != null && links.Any(l => l.SessionId == r.SessionId
                && (l.Case!.Number.Contains(text) || l.Case.Title.Contains(text) || (l.Case.Plates != null && l.Case.Plates.Contains(text)) || (l.Case.Parties != null && l.Case.Parties.Contains(text))))));
}
