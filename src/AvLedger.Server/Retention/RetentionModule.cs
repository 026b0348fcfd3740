using AvLedger.Core.Retention;

namespace AvLedger.Server.Retention;

/// <summary>Retention periods, legal holds and the purge proposals the retention pass makes (Art. 13).</summary>
public static class RetentionModule
{
    public static IServiceCollection AddRetentionModule(this IServiceCollection services)
    {
        services.AddScoped<RetentionSettings>();
        services.AddScoped<LegalHolds>();
        services.AddScoped<PurgeDecisions>();
        services.AddScoped<RetentionPass>();
        services.AddSingleton<RetentionSignal>();
        services.AddHostedService<RetentionWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapRetentionModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("保存期限、保全与清除");
        feature.MapRetention();
        return app;
    }
}
