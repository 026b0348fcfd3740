using AvLedger.Core.Data;
using AvLedger.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Migrations.Sqlite.Tests;

public sealed class SqliteMigrationsTests : IDisposable
{
    readonly string file = Path.Combine(Path.GetTempPath(), $"avledger-migrations-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (File.Exists(file)) File.Delete(file);
    }

    AvLedgerDb Open() => new(new DbContextOptionsBuilder<AvLedgerDb>()
        .UseSqlite($"Data Source={file}", x => x.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
        .Options);

    [Fact]
    public void The_migrations_match_the_model()
    {
        using var db = Open();
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a SQLite migration: run dotnet ef migrations add");
    }

    [Fact]
    public async Task Migrating_an_empty_database_creates_every_table()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Records.CountAsync());
        Assert.Equal(0, await db.Uploads.CountAsync());
        Assert.Equal(0, await db.AuditEvents.CountAsync());
        Assert.Equal(0, await db.Jobs.CountAsync());
    }
}
