using System.Security.Cryptography;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Hosting;

/// <summary>Start-up work: the master key, an empty working folder, schema migrations and the administrator account.</summary>
public static class Bootstrap
{
    public const string AdminUsername = "admin";

    public static void Run(IServiceProvider services)
    {
        // The master key is made (or found) before anything else needs it, and before serving.
        services.GetRequiredService<Storage.MasterKey>();
        // Plaintext a killed process left behind (its media tools died with it) goes before serving.
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AvLedgerOptions>>().Value.ClearWorkDir();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        if (db.Database.IsSqlite())
        {
            PrivateDatabaseFiles(db.Database.GetConnectionString()!);
            // WAL lets readers (playback) proceed while ingest writes; FULL sync keeps commits durable.
            db.Database.OpenConnection();
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }
        db.Database.Migrate();
        if (db.Accounts.Any(a => a.Username == AdminUsername)) return;

        var configured = scope.ServiceProvider.GetRequiredService<IConfiguration>()["AVLEDGER_ADMIN_PASSWORD"];
        var password = string.IsNullOrEmpty(configured) ? RandomPassword() : configured;
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<Account>>();
        var admin = new Account
        {
            Id = Ids.New(),
            Username = AdminUsername,
            PasswordHash = "",
            Roles = Role.SystemAdministrator,
            DisplayName = "系统管理员",
            CreatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Accounts.Add(admin);
        db.SaveChanges();
        if (string.IsNullOrEmpty(configured))
        {
            // Printed once, to the console only, never to the log.
            Console.WriteLine($"管理员账号已创建 / administrator account created: {AdminUsername} / {password}");
            Console.WriteLine("请妥善保存此密码，它不会再次显示。 Keep this password; it is not shown again.");
        }
    }

    /// <summary>The SQLite database is 0600 before SQLite opens it: SQLite gives its -wal, -shm and
    /// -journal files the database file's own mode, so they are private too.</summary>
    static void PrivateDatabaseFiles(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:") return;
        if (!File.Exists(file))
            new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) Storage.SecretFile.OwnerOnlyFile(file + suffix);
    }

    static string RandomPassword() => RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20);
}
