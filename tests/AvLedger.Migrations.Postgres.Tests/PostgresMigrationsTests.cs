using AvLedger.Core.Data;
using AvLedger.Migrations.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AvLedger.Migrations.Postgres.Tests;

/// <summary>Against the PostgreSQL that ./test.sh starts (AVLEDGER_TEST_POSTGRES).</summary>
public sealed class PostgresMigrationsTests : IAsyncLifetime
{
    readonly string database = "avledger_mig_" + Guid.NewGuid().ToString("N")[..12];

    static string Server => Environment.GetEnvironmentVariable("AVLEDGER_TEST_POSTGRES") is { Length: > 0 } cs ? cs
        : throw new InvalidOperationException("AVLEDGER_TEST_POSTGRES is not set: run the tests through ./test.sh, which starts PostgreSQL.");

    AvLedgerDb Open() => new(new DbContextOptionsBuilder<AvLedgerDb>()
        .UseAvLedgerPostgres(new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString)
        .Options);

    public async Task InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public void The_migrations_match_the_model()
    {
        using var db = Open();
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a PostgreSQL migration: run dotnet ef migrations add");
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
