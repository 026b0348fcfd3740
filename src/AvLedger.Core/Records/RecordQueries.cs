using AvLedger.Core.Accounts;

namespace AvLedger.Core.Records;

public static class RecordQueries
{
    /// <summary>The records <paramref name="user"/> may know exist. Until the access model
    /// (units, roles, approvals) lands, every signed-in account sees every record.</summary>
    public static IQueryable<Record> VisibleTo(this IQueryable<Record> records, Account user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return records;
    }
}
