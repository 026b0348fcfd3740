using AvLedger.Migrations.Postgres;
using AvLedger.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Hosting;

public static class Database
{
    /// <summary>Collections loaded together (a session's officers and devices) are a handful of rows each:
    /// one query, said explicitly so EF does not warn about it on every ingest.</summary>
    const QuerySplittingBehavior SingleQuery = QuerySplittingBehavior.SingleQuery;

    public static void Configure(DbContextOptionsBuilder db, AvLedgerOptions options)
    {
        switch (options.DatabaseProvider.ToLowerInvariant())
        {
            case "sqlite":
                var cs = options.ConnectionString ?? $"Data Source={Path.Combine(options.DataDir, "avledger.db")};Pooling=True";
                db.UseAvLedgerSqlite(cs, x => x.UseQuerySplittingBehavior(SingleQuery));
                break;
            case "postgres":
            case "postgresql":
                db.UseAvLedgerPostgres(options.ConnectionString ?? throw new InvalidOperationException("AvLedger:ConnectionString is required for PostgreSQL."),
                    x => x.UseQuerySplittingBehavior(SingleQuery));
                break;
            default:
                throw new InvalidOperationException($"Unknown AvLedger:DatabaseProvider '{options.DatabaseProvider}' (use sqlite or postgres).");
        }
    }
}
