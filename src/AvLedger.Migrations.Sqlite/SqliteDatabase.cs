using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AvLedger.Migrations.Sqlite;

/// <summary>AvLedger on SQLite: the provider, these migrations, and times kept as UTC ticks (SQLite has no time type).</summary>
public static class SqliteDatabase
{
    public static DbContextOptionsBuilder UseAvLedgerSqlite(this DbContextOptionsBuilder builder, string connectionString, Action<SqliteDbContextOptionsBuilder>? sqlite = null) =>
        builder.UseSqlite(connectionString, x =>
        {
            x.MigrationsAssembly(typeof(SqliteDatabase).Assembly.GetName().Name);
            sqlite?.Invoke(x);
        }).UseTimeStorage(TimeStorage.UtcTicks);

    public static DbContextOptionsBuilder<AvLedgerDb> UseAvLedgerSqlite(this DbContextOptionsBuilder<AvLedgerDb> builder, string connectionString, Action<SqliteDbContextOptionsBuilder>? sqlite = null)
    {
        UseAvLedgerSqlite((DbContextOptionsBuilder)builder, connectionString, sqlite);
        return builder;
    }
}
