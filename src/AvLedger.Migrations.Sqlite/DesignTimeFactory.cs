using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AvLedger.Migrations.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the model for SQLite.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AvLedgerDb>
{
    public AvLedgerDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AvLedgerDb>().UseAvLedgerSqlite("Data Source=design.db").Options);
}
