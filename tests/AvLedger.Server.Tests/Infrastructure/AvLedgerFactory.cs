using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Core.Jobs;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Core.Units;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
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
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        // One snapshot for both reads: the sequencer moving a batch in between would list it twice.
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var pending = await db.LedgerPending.AsNoTracking().Select(p => p.Leaf).ToListAsync();
        var sequenced = await db.LedgerLeaves.AsNoTracking().Select(l => l.Leaf).ToListAsync();
        return pending.Concat(sequenced).Select(Encoding.UTF8.GetString).ToList();
    }

    /// <summary>Waits for the background workers' signal that they are done: no due job left pending and
    /// every ledger leaf sequenced under a signed checkpoint. Tests wait on this, not on a fixed sleep.</summary>
    public async Task WorkersIdleAsync()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using (var scope = Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
                var now = Clock.GetUtcNow();
                var due = await db.Jobs.AsNoTracking().Where(j => j.State == JobState.Pending).Select(j => j.NotBefore).ToListAsync();
                // Sequenced is not yet signed: a proof is against the newest checkpoint, so wait until one covers every leaf.
                if (!due.Any(at => at <= now) && !await db.LedgerPending.AnyAsync()
                    && (await db.LedgerCheckpoints.MaxAsync(c => (long?)c.TreeSize) ?? 0) == await db.LedgerLeaves.LongCountAsync()) return;
            }
            if (DateTime.UtcNow > until) throw new TimeoutException("the background workers did not finish within 60 s");
            await Task.Delay(50);
        }
    }

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A bearer token for <paramref name="username"/>, minted in-process as a sign-in would: tests
    /// that are not about signing in should not pay a password hash for every client (SignIn tests use <see cref="TokenAsync"/>).</summary>
    public async Task<string> MintAsync(string username)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Username == username);
        return scope.ServiceProvider.GetRequiredService<Tokens>().Issue(account).Token;
    }

    public async Task<HttpClient> AdminAsync() => ClientWith(await MintAsync(Bootstrap.AdminUsername));

    /// <summary>A client signed in as <paramref name="person"/> with a token of their own.</summary>
    public async Task<HttpClient> ClientAsync(Person person) => ClientWith(await MintAsync(person.Username));

    int people;

    public sealed record Person(string Username, string Password, string Badge, string DisplayName, string DeviceCode, string UnitCode);

    /// <summary>A fresh account with a badge, in a fresh unit (under <paramref name="parentUnit"/>, if
    /// given) with its own recorder, made by the administrator through the same use cases as the
    /// administration pages (as the demo seeds its corps), with a password of its own.</summary>
    public async Task<Person> PersonAsync(Role role = Role.Officer, string? parentUnit = null)
    {
        var n = Interlocked.Increment(ref people);
        var person = new Person($"user{n}", $"own-password-{n}", $"5{n:D5}", $"执法人员{n}", $"DSJ-{n:D4}", $"U{n}");
        await AsAdministratorAsync(async (services, admin) =>
        {
            Seeded(await services.GetRequiredService<UnitTree>().AddAsync(admin, new UnitTree.NewUnit(person.UnitCode, $"第{n}中队", parentUnit), default));
            await AddUserAsync(services, admin, person, role);
            Seeded(await services.GetRequiredService<DeviceRegister>().AddAsync(admin,
                new DeviceRegister.NewDevice(person.DeviceCode, DeviceKind.BodyWornRecorder, person.UnitCode, null), default));
        });
        return person;
    }

    /// <summary>Another account in an existing person's unit.</summary>
    public async Task<Person> ColleagueAsync(Person of, Role role)
    {
        var n = Interlocked.Increment(ref people);
        var person = of with { Username = $"user{n}", Password = $"own-password-{n}", Badge = $"5{n:D5}", DisplayName = $"执法人员{n}" };
        await AsAdministratorAsync((services, admin) => AddUserAsync(services, admin, person, role));
        return person;
    }

    async Task AsAdministratorAsync(Func<IServiceProvider, Scope, Task> work)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var admin = await db.Accounts.AsNoTracking().SingleAsync(a => a.Username == Bootstrap.AdminUsername);
        await work(scope.ServiceProvider, new Scope(admin, Clock.GetUtcNow()));
    }

    static async Task AddUserAsync(IServiceProvider services, Scope admin, Person person, Role role) =>
        Seeded(await services.GetRequiredService<AccountDirectory>().SeedAsync(admin,
            new AccountDirectory.NewUser(person.Username, person.Password, person.Badge, person.DisplayName, person.UnitCode, [.. Roles.Each(role)]), default));

    static void Seeded<T>(Outcome<T> outcome)
    {
        if (outcome.Refusal is { } refused) throw new InvalidOperationException($"test person refused: {refused.Describe(Refusal.English)}");
    }

    /// <summary>A fresh officer with a badge, in a fresh unit, signed in.</summary>
    public async Task<(HttpClient Client, string Badge)> OfficerAsync(Role role = Role.Officer)
    {
        var person = await PersonAsync(role);
        return (await ClientAsync(person), person.Badge);
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
