namespace AvLedger.Core.Records;

/// <summary>A records search as the API and the web list both take it: filters, order and page.</summary>
public sealed record RecordSearch
{
    public const int MaxPageSize = 200;

    /// <summary>The officer's 执法证号, or part of their name (with <c>people</c> given to <see cref="Filter"/>).</summary>
    public string? Officer { get; init; }
    public string? Device { get; init; }
    public string? Unit { get; init; }
    public string? ActivityType { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public bool? LateSave { get; init; }
    /// <summary>Free text: the file name, or a linked case's number, title, plates or parties.</summary>
    public string? Q { get; init; }
    /// <summary>Art. 15: the exact number of a case linked to the record or to its session.</summary>
    public string? Case { get; init; }
    public RecordSort Sort { get; init; } = RecordSort.Recorded;
    public bool Descending { get; init; } = true;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;

    public int ClampedPage => Math.Max(1, Page);
    public int ClampedPageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <param name="caseLinks">All case links (<c>db.CaseLinks</c>), so <see cref="Case"/> and <see cref="Q"/>
    /// also find records through their session's links; without it only the record's own links count.</param>
    /// <param name="people">All accounts (<c>db.Accounts</c>), so <see cref="Officer"/> also finds an officer by name.</param>
    public IQueryable<Record> Filter(IQueryable<Record> query, IQueryable<Cases.CaseLink>? caseLinks = null, IQueryable<Accounts.Account>? people = null)
    {
        if (!string.IsNullOrWhiteSpace(Officer))
        {
            var officer = Officer.Trim();
            query = people is null ? query.Where(r => r.OfficerBadge == officer)
                : query.Where(r => r.OfficerBadge == officer || people.Any(a => a.Id == r.OfficerId && a.DisplayName.Contains(officer)));
        }
        if (!string.IsNullOrEmpty(Device)) query = query.Where(r => r.DeviceCode == Device);
        if (!string.IsNullOrEmpty(Unit)) query = query.Where(r => r.UnitId == Unit);
        if (!string.IsNullOrEmpty(ActivityType)) query = query.Where(r => r.ActivityType == ActivityType);
        if (LateSave is { } late) query = query.Where(r => r.LateSave == late);
        if (!string.IsNullOrWhiteSpace(Q)) query = Cases.CaseQueries.MatchingText(query, caseLinks, Q.Trim());
        if (!string.IsNullOrWhiteSpace(Case)) query = Cases.CaseQueries.LinkedToCase(query, caseLinks, Case.Trim());
        // A recording overlaps the window when it ends after its start and starts before its end.
        if (From is { } from) query = query.Where(r => r.RecordedEnd >= from);
        if (To is { } to) query = query.Where(r => r.RecordedStart < to);
        return query;
    }

    public IQueryable<Record> Order(IQueryable<Record> query)
    {
        var ordered = (Sort, Descending) switch
        {
            (RecordSort.Saved, false) => query.OrderBy(r => r.SavedAt),
            (RecordSort.Saved, true) => query.OrderByDescending(r => r.SavedAt),
            (RecordSort.Duration, false) => query.OrderBy(r => r.DurationSeconds),
            (RecordSort.Duration, true) => query.OrderByDescending(r => r.DurationSeconds),
            (RecordSort.Size, false) => query.OrderBy(r => r.Size),
            (RecordSort.Size, true) => query.OrderByDescending(r => r.Size),
            (RecordSort.Officer, false) => query.OrderBy(r => r.OfficerBadge),
            (RecordSort.Officer, true) => query.OrderByDescending(r => r.OfficerBadge),
            (RecordSort.Device, false) => query.OrderBy(r => r.DeviceCode),
            (RecordSort.Device, true) => query.OrderByDescending(r => r.DeviceCode),
            (_, false) => query.OrderBy(r => r.RecordedStart),
            _ => query.OrderByDescending(r => r.RecordedStart),
        };
        return ordered.ThenBy(r => r.Id);
    }

    public IQueryable<Record> PageOf(IQueryable<Record> query) =>
        Order(query).Skip((ClampedPage - 1) * ClampedPageSize).Take(ClampedPageSize);
}

public enum RecordSort { Recorded, Saved, Duration, Size, Officer, Device }
