using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace AvLedger.Migrations.Postgres;

/// <summary>AvLedger on PostgreSQL: the provider, these migrations, and times kept as UTC timestamps (timestamptz takes UTC only).</summary>
public static class PostgresDatabase
{
    public static DbContextOptionsBuilder UseAvLedgerPostgres(this DbContextOptionsBuilder builder, string connectionString, Action<NpgsqlDbContextOptionsBuilder>? npgsql = null) =>
        builder.UseNpgsql(connectionString, x =>
        {
            x.MigrationsAssembly(typeof(PostgresDatabase).Assembly.GetName().Name);
            npgsql?.Invoke(x);
        }).UseTimeStorage(TimeStorage.UtcTimestamp);

    public static DbContextOptionsBuilder<AvLedgerDb> UseAvLedgerPostgres(this DbContextOptionsBuilder<AvLedgerDb> builder, string connectionString, Action<NpgsqlDbContextOptionsBuilder>? npgsql = null)
    {
        UseAvLedgerPostgres((DbContextOptionsBuilder)builder, connectionString, npgsql);
        return builder;
    }
}
