using System.Globalization;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Approvals;

/// <summary>The last 文号 given out by a unit in a year.</summary>
public sealed class ApprovalNumberCounter
{
    public required string UnitId { get; init; }
    public int Year { get; init; }
    public int Last { get; set; }
}

public static class ApprovalNumbers
{
    /// <summary>文号 (渝交执法一支队音像审〔2026〕2号): the deciding unit's short name (its code when it has none), the year, and a running number within both, taken in one
    /// UPSERT … RETURNING on the unit's counter row (SQLite and PostgreSQL both have it), so two
    /// approvals decided at the same moment never share a number.</summary>
    public static async Task<string> NextAsync(AvLedgerDb db, string unitId, DateTimeOffset now, CancellationToken ct)
    {
        var code = await db.Units.Where(u => u.Id == unitId).Select(u => u.ShortName ?? u.Code).SingleAsync(ct);
        var year = RecordingTimes.ToChina(now).Year;
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{code}音像审〔{year}〕");
        // Only the first number of a unit's year reads this: an installation that numbered by counting carries on from there.
        var taken = await db.AccessDecisions.CountAsync(d => d.Number != null && d.Number.StartsWith(prefix), ct);
        var next = (await db.Database.SqlQuery<int>($"""
            INSERT INTO "ApprovalNumberCounters" ("UnitId", "Year", "Last") VALUES ({unitId}, {year}, {taken + 1})
            ON CONFLICT ("UnitId", "Year") DO UPDATE SET "Last" = "ApprovalNumberCounters"."Last" + 1
            RETURNING "Last" AS "Value"
            """).ToListAsync(ct)).Single();
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{next}号");
    }
}
