using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AvLedger.Core.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AvLedger.Server.Tests.Infrastructure;

/// <summary>The real server on a fresh data dir and database, with a clock tests can move.</summary>
public abstract class AvLedgerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "test-admin-password";
    public const long MaxUploadSize = 200L * 1024 * 1024;

    public string DataDir { get; } = Directory.CreateTempSubdirectory("avledger-test-").FullName;
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    protected abstract string Provider { get; }
    protected virtual string? ConnectionString => null;
    protected virtual bool SingleAdministrator => true;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteTree(DataDir);
    }

    /// <summary>Removes a test's data folder. A watermarked viewing's folder that the stopping server removes
    /// at the same moment is not an error: the walk starts again over what is left.</summary>
    static void DeleteTree(string dir)
    {
        for (var attempt = 1; Directory.Exists(dir); attempt++)
        {
            try
            {
                foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(100 * attempt);
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("AvLedger:DataDir", DataDir);
        builder.UseSetting("AvLedger:DatabaseProvider", Provider);
        if (ConnectionString is not null) builder.UseSetting("AvLedger:ConnectionString", ConnectionString);
        builder.UseSetting("AvLedger:Uploads:MaxSize", MaxUploadSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AVLEDGER_ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("AvLedger:SignInsPerMinute", "100000");
        // The clock stands still unless a test moves it: a per-minute cap would count a whole class's uploads.
        builder.UseSetting("AvLedger:Uploads:CreationsPerMinutePerPerson", "100000");
        builder.UseSetting("AvLedger:SignInsPerAccountPerMinute", "100000");
        // Tests move the clock by days while holding access tokens; the 15-minute lifetime has its own tests (SignInLifetimeTests).
        builder.UseSetting("AvLedger:TokenLifetime", "1000.00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // One administrator sets up every test's people; RoleGrantTests turn the second-person rule on.
        builder.UseSetting("AvLedger:SingleAdministrator", SingleAdministrator ? "true" : "false");
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public async Task<string> TokenAsync(string username, string password)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Every ledger leaf written so far, sequenced or still pending, as text.</summary>
    public async Task<List<string>> LedgerLeavesAsync()
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.AvLedgerDb>();
        // One snapshot for both reads: the sequencer moving a batch in between would list it twice.
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var pending = await db.LedgerPending.AsNoTracking().Select(p => p.Leaf).ToListAsync();
        var sequenced = await db.LedgerLeaves.AsNoTracking().Select(l => l.Leaf).ToListAsync();
        return pending.Concat(sequenced).Select(Encoding.UTF8.GetString).ToList();
    }

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> AdminAsync() => ClientWith(await TokenAsync("admin", AdminPassword));

    /// <summary>A client signed in as <paramref name="person"/> with a token of their own.</summary>
    public async Task<HttpClient> ClientAsync(Person person) => ClientWith(await TokenAsync(person.Username, person.Password));

    int people;

    public sealed record Person(string Username, string Password, string Badge, string DisplayName, string DeviceCode, string UnitCode);

    /// <summary>A fresh account with a badge, in a fresh unit (under <paramref name="parentUnit"/>, if
    /// given) with its own recorder; its administrator-set password already changed, as a person would.</summary>
    public async Task<Person> PersonAsync(Role role = Role.Officer, string? parentUnit = null)
    {
        var n = Interlocked.Increment(ref people);
        var person = new Person($"user{n}", $"own-password-{n}", $"5{n:D5}", $"执法人员{n}", $"DSJ-{n:D4}", $"U{n}");
        using var admin = await AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/units", new { code = person.UnitCode, name = $"第{n}中队", parentCode = parentUnit })).EnsureSuccessStatusCode();
        await AddUserAsync(admin, person, role);
        (await admin.PostAsJsonAsync("/api/v1/devices", new { code = person.DeviceCode, kind = "bodyWornRecorder", unitCode = person.UnitCode })).EnsureSuccessStatusCode();
        return person;
    }

    /// <summary>Another account in an existing person's unit.</summary>
    public async Task<Person> ColleagueAsync(Person of, Role role)
    {
        var n = Interlocked.Increment(ref people);
        var person = of with { Username = $"user{n}", Password = $"own-password-{n}", Badge = $"5{n:D5}", DisplayName = $"执法人员{n}" };
        using var admin = await AdminAsync();
        await AddUserAsync(admin, person, role);
        return person;
    }

    static async Task AddUserAsync(HttpClient admin, Person person, Role role)
    {
        (await admin.PostAsJsonAsync("/api/v1/users", new
        {
            username = person.Username, password = "initial-password-1", name = person.DisplayName, badge = person.Badge, unitCode = person.UnitCode,
            roles = Roles.Each(role).Select(r => JsonNamingPolicy.CamelCase.ConvertName(r.ToString())).ToArray(),
        })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/auth/password", new { username = person.Username, currentPassword = "initial-password-1", newPassword = person.Password })).EnsureSuccessStatusCode();
    }

    /// <summary>A fresh officer with a badge, in a fresh unit, signed in.</summary>
    public async Task<(HttpClient Client, string Badge)> OfficerAsync(Role role = Role.Officer)
    {
        var person = await PersonAsync(role);
        return (ClientWith(await TokenAsync(person.Username, person.Password)), person.Badge);
    }
}

public sealed class SqliteFactory : AvLedgerFactory
{
    protected override string Provider => "sqlite";
}

/// <summary>PostgreSQL started by ./test.sh (AVLEDGER_TEST_POSTGRES); each factory gets its own database.</summary>
public class PostgresFactory : AvLedgerFactory
{
    readonly string database = "avledger_test_" + Guid.NewGuid().ToString("N")[..12];

    static string AdminConnection => Environment.GetEnvironmentVariable("AVLEDGER_TEST_POSTGRES") is { Length: > 0 } cs ? cs
        : throw new InvalidOperationException("AVLEDGER_TEST_POSTGRES is not set: run the tests through ./test.sh, which starts PostgreSQL.");

    protected override string Provider => "postgres";
    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnection) { Database = database }.ConnectionString;

    public override async Task InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>SQLite as shipped: roles reaching others' records wait for a second person (no AvLedger:SingleAdministrator).</summary>
public sealed class SecondPersonFactory : AvLedgerFactory
{
    protected override string Provider => "sqlite";
    protected override bool SingleAdministrator => false;
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class SecondPersonPostgresFactory : PostgresFactory
{
    protected override bool SingleAdministrator => false;
}

/// <summary>SQLite with a download limit of two an hour, to see the limit bite.</summary>
public sealed class LowDownloadLimitFactory : AvLedgerFactory
{
    protected override string Provider => "sqlite";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AvLedger:DownloadsPerHour", "2");
    }
}

/// <summary>SQLite with the shipped token and sign-in lifetimes (15-minute access tokens, 8-hour sign-ins).</summary>
public sealed class ShippedLifetimesFactory : AvLedgerFactory
{
    protected override string Provider => "sqlite";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AvLedger:TokenLifetime", "00:15:00");
        builder.UseSetting("AvLedger:SignInLifetime", "08:00:00");
    }
}

/// <summary>SQLite with small sign-in budgets (3 a minute per client, 6 per username) behind one trusted proxy, 10.0.0.1.</summary>
public sealed class SignInLimitFactory : AvLedgerFactory
{
    public const string Proxy = "10.0.0.1";

    protected override string Provider => "sqlite";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AvLedger:SignInsPerMinute", "3");
        builder.UseSetting("AvLedger:SignInsPerAccountPerMinute", "6");
        builder.UseSetting("AvLedger:TrustedProxies:0", Proxy);
    }
}
