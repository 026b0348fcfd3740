using AvLedger.Core.Accounts;
using AvLedger.Core.Scoping;

namespace AvLedger.Core.Records;

/// <summary>What a user may do with a record: know it exists (metadata), play it (view), or copy it (download).</summary>
public enum Access { Metadata, View, Copy }

public static class RecordQueries
{
    /// <summary>The records <paramref name="user"/> may reach for <paramref name="access"/>: <see cref="Scope.Records"/>.</summary>
    public static IQueryable<Record> VisibleTo(this IQueryable<Record> records, Account user, DateTimeOffset now, Access access = Access.Metadata) =>
        new Scope(user, now).Records(records, access);

    /// <summary>Records an approved external provision lets <paramref name="user"/> export (Art. 17).</summary>
    public static IQueryable<Record> ProvidableBy(this IQueryable<Record> records, Account user, DateTimeOffset now) =>
        new Scope(user, now).Providable(records);
}
