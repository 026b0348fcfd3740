using AvLedger.Core.Data;
using AvLedger.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AvLedger.Migrations.Sqlite.Tests;

public sealed class SqliteMigrationsTests : IDisposable
{
    readonly string file = Path.Combine(Path.GetTempPath(), $"avledger-migrations-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (File.Exists(file)) File.Delete(file);
    }

    AvLedgerDb Open() => new(new DbContextOptionsBuilder<AvLedgerDb>().UseAvLedgerSqlite($"Data Source={file}").Options);

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

    /// <summary>On an existing install, records whose time came only from the
    /// upload become 录制时间未知 (late save unknown). The update has to run after SQLite rebuilt the
    /// table that makes LateSave nullable, or a database holding such a record fails to migrate.</summary>
    [Fact]
    public async Task An_install_with_upload_timed_records_migrates_and_marks_them_unknown()
    {
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261202164805_Issue13Duties");
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            await using (var off = conn.CreateCommand())
            {
                off.CommandText = "PRAGMA foreign_keys = OFF";
                await off.ExecuteNonQueryAsync();
            }
            var columns = new List<(string Name, string Type, bool NotNull, bool HasDefault)>();
            await using (var info = conn.CreateCommand())
            {
                info.CommandText = "PRAGMA table_info(\"Records\")";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    columns.Add((reader.GetString(1), reader.GetString(2), reader.GetInt32(3) == 1, !reader.IsDBNull(4)));
            }
            string Value(string name, string type) => name switch
            {
                "Id" => "'R-UPLOAD-TIMED'",
                "RecordedStartSource" => "'upload'",
                "LateSave" => "0",
                _ => type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase) || type.Equals("REAL", StringComparison.OrdinalIgnoreCase) ? "0" : "'x'",
            };
            var needed = columns.Where(c => c.NotNull && !c.HasDefault).ToList();
            await using (var insert = conn.CreateCommand())
            {
                insert.CommandText = $"INSERT INTO \"Records\" ({string.Join(", ", needed.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", needed.Select(c => Value(c.Name, c.Type)))})";
                await insert.ExecuteNonQueryAsync();
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var record = await db.Records.AsNoTracking().Where(r => r.Id == "R-UPLOAD-TIMED").Select(r => new { r.RecordedStartSource, r.LateSave }).SingleAsync();
            Assert.Equal("unknown", record.RecordedStartSource);
            Assert.Null(record.LateSave);
        }
    }
}
