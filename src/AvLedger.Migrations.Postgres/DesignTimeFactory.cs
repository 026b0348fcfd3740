using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AvLedger.Migrations.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the model for PostgreSQL.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AvLedgerDb>
{
    public AvLedgerDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AvLedgerDb>().UseAvLedgerPostgres("Host=localhost;Database=design").Options);
}
