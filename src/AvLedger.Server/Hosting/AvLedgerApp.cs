using System.Text.Json;
using System.Text.Json.Serialization;
using AvLedger.Core.Data;
using AvLedger.Server.Accounts;
using AvLedger.Server.Approvals;
using AvLedger.Server.Audit;
using AvLedger.Server.Auth;
using AvLedger.Server.Cases;
using AvLedger.Server.Compliance;
using AvLedger.Server.Derivatives;
using AvLedger.Server.Devices;
using AvLedger.Server.Exports;
using AvLedger.Server.Ingest;
using AvLedger.Server.Ledger;
using AvLedger.Server.Records;
using AvLedger.Server.Retention;
using AvLedger.Server.Sessions;
using AvLedger.Server.Shared;
using AvLedger.Server.Shell;
using AvLedger.Server.Units;
using AvLedger.Server.Workbench;
using AvLedger.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace AvLedger.Server.Hosting;

/// <summary>The composition root: the shared plumbing, then each feature's own services and routes.</summary>
public static class AvLedgerApp
{
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
        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContext<AvLedgerDb>((sp, db) => Database.Configure(db, sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value;
            return MasterKey.LoadOrCreate(o.KeyDir!, o.MasterKey ?? sp.GetRequiredService<IConfiguration>()["AVLEDGER_MASTER_KEY"]);
        });
        services.AddSingleton<IBlobStore>(sp => new LocalBlobStore(Path.Combine(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.DataDir, "blobs")));
        services.AddSingleton<RecordVault>();
        // Cookie and antiforgery keys live in the key dir, encrypted with the master key, so a restart
        // keeps users signed in and nodes sharing the keys accept each other's cookies.
        services.AddDataProtection().SetApplicationName("AvLedger");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<AvLedgerOptions>, MasterKey>((k, o, masterKey) =>
            DataProtectionKeys.Configure(k, o.Value.KeyDir!, masterKey));
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
        services.AddProblemDetails();
        services.AddExceptionHandler<DiskFull>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        services.AddOpenApi(o => o
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "AvLedger 执法音像记录管理系统接口";
                document.Info.Description = "以 Bearer 访问令牌调用（POST /api/v1/auth/token 签发）；只能看到本人权限范围内的数据，范围外的与不存在的一样答 404。"
                    + "拒绝一律为 RFC 9457 问题详情（code、中文 title/detail、英文 titleEn/detailEn）。时间为带时区的 RFC 3339。";
                return Task.CompletedTask;
            })
            .AddOperationTransformer<ProblemResponses>()
            .AddOperationTransformer<OperationTexts>());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);

        // Background workers start in this order: the ledger's first, the retention pass last.
        services
            .AddAuthModule()
            .AddUnitsModule()
            .AddAccountsModule()
            .AddDevicesModule()
            .AddApprovalsModule()
            .AddLedgerModule()
            .AddIngestModule()
            .AddRecordsModule()
            .AddComplianceModule()
            .AddAuditModule()
            .AddSessionsModule()
            .AddDerivativesModule()
            .AddCasesModule()
            .AddExportsModule()
            .AddRetentionModule()
            .AddWorkbenchModule()
            .AddShellModule();
    }

    static void MapEndpoints(WebApplication app)
    {
        app.UseSecurityHeaders();
        // The API answers problem details; people in the browser get friendly pages that leak nothing.
        app.UseWhen(c => WebSignIn.IsApi(c.Request), api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(c => !WebSignIn.IsApi(c.Request), web => web
            // A fresh scope for the error page: the failed page's services (its navigation manager among them) are spent.
            .UseExceptionHandler("/error/500", createScopeForErrors: true)
            .UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true));
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
        app.UseRepeatedFormGuard();
        app.UseRateLimiter();
        app.MapHealth();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", ApiReference).AllowAnonymous();
        app
            .MapAuthModule()
            .MapUnitsModule()
            .MapAccountsModule()
            .MapDevicesModule()
            .MapApprovalsModule()
            .MapLedgerModule()
            .MapIngestModule()
            .MapRecordsModule()
            .MapComplianceModule()
            .MapAuditModule()
            .MapSessionsModule()
            .MapDerivativesModule()
            .MapCasesModule()
            .MapExportsModule()
            .MapRetentionModule()
            .MapShellModule();
    }

    /// <summary>/docs serves its bundle from the package and asks nothing of any other machine: the
    /// corps' intranet has no way out, and a page waiting on fonts from the internet took seconds to show.
    /// Everything that would reach the vendor's hosted services (AI agent, MCP, client, deploy, SDKs) is off.</summary>
    static void ApiReference(ScalarOptions o) => o
        .WithTitle("AvLedger 接口文档")
        .WithLocalization(new ScalarLocalizationOptions { Locale = "zh-CN" })
        .DisableDefaultFonts()
        .WithCustomCss(":root { --scalar-font: \"Noto Sans CJK SC\", \"Microsoft YaHei\", \"PingFang SC\", system-ui, sans-serif; --scalar-font-code: ui-monospace, \"DejaVu Sans Mono\", monospace; }")
        .DisableTelemetry()
        .DisableAgent()
        .DisableMcp()
        .HideClientButton()
        .HideDeveloperTools()
        .WithJsonDocumentDownload();
}
