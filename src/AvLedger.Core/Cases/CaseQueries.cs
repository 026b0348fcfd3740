using AvLedger.Core.Accounts;
using AvLedger.Core.Records;
using AvLedger.Core.Scoping;
using AvLedger.Core.Sessions;

namespace AvLedger.Core.Cases;

public static class CaseQueries
{
    /// <summary>The cases <paramref name="user"/> may know of: <see cref="Scope.Cases"/>.</summary>
    public static IQueryable<Case> VisibleTo(this IQueryable<Case> cases, IQueryable<Record> records, IQueryable<SessionOfficer> sessionOfficers, Account user) =>
        new Scope(user, DateTimeOffset.MinValue).Cases(cases, records, sessionOfficers);

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
