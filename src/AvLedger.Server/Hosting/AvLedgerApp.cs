using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using AvLedger.Core.Accounts;
using AvLedger.Core.Records;
using AvLedger.Core.Data;
using AvLedger.Server.Accounts;
using AvLedger.Server.Approvals;
using AvLedger.Server.Devices;
using AvLedger.Server.Units;
using AvLedger.Server.Audit;
using AvLedger.Server.Auth;
using AvLedger.Server.Cases;
using AvLedger.Server.Compliance;
using AvLedger.Server.Derivatives;
using AvLedger.Server.Exports;
using AvLedger.Server.Ingest;
using AvLedger.Server.Ledger;
using AvLedger.Core.Ledger;
using AvLedger.Server.Records;
using AvLedger.Server.Sessions;
using AvLedger.Server.Retention;
using AvLedger.Server.Shell;
using AvLedger.Migrations.Postgres;
using AvLedger.Migrations.Sqlite;
using AvLedger.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace AvLedger.Server.Hosting;

public static class AvLedgerApp
{
    /// <summary>What /healthz adds while <see cref="AvLedgerOptions.SingleAdministrator"/> is on.</summary>
    public const string SingleAdministratorWarning =
        "singleAdministrator: true\n" +
        "warning: 单一管理员模式：可查看他人记录的角色和涉密授权无须第二人确认即生效 / single-administrator mode: " +
        "roles reaching other people's records and state-secret clearance take effect without a second person's confirmation (AvLedger:SingleAdministrator)";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        AddServices(builder);
        var app = builder.Build();
        Bootstrap.Run(app.Services);
        MapEndpoints(app);
        app.AnswerHeadWhereGetAnswers();
        return app;
    }

    static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Everything reads options when first resolved, so test hosts can supply configuration late.
        services.Configure<AvLedgerOptions>(builder.Configuration.GetSection(AvLedgerOptions.Section));
        services.PostConfigure<AvLedgerOptions>(o =>
        {
            o.DataDir = SecretFile.PrivateDirectory(Path.GetFullPath(o.DataDir));
            o.KeyDir = SecretFile.PrivateDirectory(Path.GetFullPath(o.KeyDir ?? Path.Combine(o.DataDir, "keys")));
            o.StateDir = SecretFile.PrivateDirectory(Path.GetFullPath(o.StateDir ?? Path.Combine(o.DataDir, "state")));
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value;
            return MasterKey.LoadOrCreate(o.KeyDir!, o.MasterKey ?? sp.GetRequiredService<IConfiguration>()["AVLEDGER_MASTER_KEY"]);
        });
        services.AddSingleton<IBlobStore>(sp => new LocalBlobStore(Path.Combine(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.DataDir, "blobs")));
        services.AddSingleton<RecordVault>();
        services.AddSingleton(sp => new PartialUploads(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.DataDir));
        services.AddSingleton<IngestSignal>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<IngestProcessor>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value;
            return new ActivityTypeCatalog(o.ActivityTypes, o.DisabledActivityTypes);
        });
        services.AddSingleton(sp => LedgerKeys.LoadOrCreate(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value));
        services.AddScoped<LedgerSequencer>();
        services.AddSingleton<ISignedCheckpointLog>(sp =>
            new CheckpointFile(Path.Combine(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.StateDir!, CheckpointFile.FileName)));
        services.AddScoped<LedgerCheckpoints>();
        services.AddSingleton<LedgerHealth>();
        services.AddSingleton<LedgerSignal>();
        services.AddHostedService<LedgerWorker>();
        services.AddHostedService<IngestWorker>();
        services.AddSingleton<RenditionSignal>();
        services.AddHostedService<RenditionWorker>();
        services.AddSingleton<Viewings>();
        services.AddDerivatives();
        services.AddExports();
        services.AddScoped<RetentionPass>();
        services.AddSingleton<RetentionSignal>();
        services.AddHostedService<RetentionWorker>();
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<Tokens>();

        services.AddDbContext<AvLedgerDb>((sp, db) => Database.Configure(db, sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value));

        services.AddScoped<SignIns>();
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<SecondFactor>();
        // Cookie and antiforgery keys live in the key dir, encrypted with the master key, so a restart
        // keeps users signed in and nodes sharing the keys accept each other's cookies.
        services.AddDataProtection().SetApplicationName("AvLedger");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<AvLedgerOptions>, MasterKey>((k, o, masterKey) =>
            DataProtectionKeys.Configure(k, o.Value.KeyDir!, masterKey));
        services.AddWebAndApiAuthentication();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<MasterKey, TimeProvider, Microsoft.Extensions.Options.IOptions<AvLedgerOptions>>(
            (o, master, clock, options) => Tokens.Configure(o, master, clock, options.Value.TokenLifetime));
        // The client address is the connection's, unless the connection comes from a configured proxy:
        // then it is what that proxy put in X-Forwarded-For (and X-Forwarded-Proto says whether the
        // client came over TLS, for HSTS). Anyone else's headers are ignored.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AvLedgerOptions>>((f, o) =>
        {
            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            f.KnownProxies.Clear();
            f.KnownIPNetworks.Clear();
            foreach (var proxy in o.Value.TrustedProxies) f.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        services.AddAuthorization(WebSignIn.AddPolicies);
        services.AddRateLimiter(o =>
        {
            o.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                return new ValueTask(AuthApi.TooManySignIns(http).ExecuteAsync(http));
            };
            o.AddPolicy(AuthApi.SignInLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<AvLedgerOptions>>().Value.SignInsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<DiskFull>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        services.AddOpenApi();
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddLocalization();
        // Chinese text goes out as UTF-8, not as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);
    }

    static void MapEndpoints(WebApplication app)
    {
        app.UseSecurityHeaders();
        // The API answers problem details; people in the browser get friendly pages that leak nothing.
        app.UseWhen(c => WebSignIn.IsApi(c.Request), api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(c => !WebSignIn.IsApi(c.Request), web => web.UseExceptionHandler("/error/500").UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseForwardedHeaders();
        app.UseRequestLocalization(Localization.Options);
        app.UseStaticFiles();
        app.UsePlainTextOnly();
        // Routing after the error pages, so a re-executed request finds the error page's endpoint.
        app.UseRouting();
        app.UseAuthentication();
        app.UseApiForgeryProtection();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.MapGet("/healthz", async (AvLedgerDb db, LedgerHealth ledger, IOptions<AvLedgerOptions> options, CancellationToken ct) =>
        {
            if (!await db.Database.CanConnectAsync(ct)) return Results.StatusCode(503);
            // A critical alarm: the stored history disagrees with what this log signed.
            // Nothing is signed until an operator restores a database that agrees (docs/operations: ledger alarm).
            if (ledger.Problems.Count > 0)
            {
                var withheld = ledger.SizeNotSigned is { } size
                    ? [$"no checkpoint is signed while this stands; the tree now holds {size} leaves"] : Array.Empty<string>();
                string[] lines = [.. ledger.Problems, .. withheld];
                return Problems.Of(503, "ledger-damaged", "账本与已签名检查点不一致", "Ledger disagrees with its signed checkpoint",
                    "账本已停止签名，须由运维人员处理：" + string.Join("；", lines), string.Join("; ", lines));
            }
            // Healthy, but monitoring and auditors should see that one person alone grants reaching roles.
            return Results.Text(options.Value.SingleAdministrator ? "ok\n" + SingleAdministratorWarning : "ok");
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("AvLedger API")).AllowAnonymous();
        app.MapAuth();
        app.MapUnits();
        app.MapUsers();
        app.MapRoleGrants();
        app.MapDevices();
        app.MapAdministrationAlerts();
        app.MapAccessRequests();
        app.MapProvisions();
        app.MapRecordChanges();
        app.MapLateSaves();
        app.MapRecordedTimes();
        app.MapStationKeys();
        app.MapDirectoryImport();
        app.MapUploads();
        app.MapRecords();
        app.MapLedger();
        app.MapAudit();
        app.MapSessions();
        app.MapInbox();
        app.MapNoRecordingReports();
        app.MapMarkers();
        app.MapShell();
        app.MapDerivatives();
        app.MapCases();
        app.MapRetention();
        app.MapExports();
    }
}

public static class Database
{
    /// <summary>Collections loaded together (a session's officers and devices) are a handful of rows each:
    /// one query, said explicitly so EF does not warn about it on every ingest.</summary>
    const QuerySplittingBehavior SingleQuery = QuerySplittingBehavior.SingleQuery;

    public static void Configure(DbContextOptionsBuilder db, AvLedgerOptions options)
    {
        switch (options.DatabaseProvider.ToLowerInvariant())
        {
            case "sqlite":
                var cs = options.ConnectionString ?? $"Data Source={Path.Combine(options.DataDir, "avledger.db")};Pooling=True";
                db.UseAvLedgerSqlite(cs, x => x.UseQuerySplittingBehavior(SingleQuery));
                break;
            case "postgres":
            case "postgresql":
                db.UseAvLedgerPostgres(options.ConnectionString ?? throw new InvalidOperationException("AvLedger:ConnectionString is required for PostgreSQL."),
                    x => x.UseQuerySplittingBehavior(SingleQuery));
                break;
            default:
                throw new InvalidOperationException($"Unknown AvLedger:DatabaseProvider '{options.DatabaseProvider}' (use sqlite or postgres).");
        }
    }
}
