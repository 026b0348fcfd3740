using AvLedger.Core.Exports;

namespace AvLedger.Server.Exports;

/// <summary>Evidence packages, built in the background, downloaded and receipted.</summary>
public static class ExportsModule
{
    public static IServiceCollection AddExportsModule(this IServiceCollection services)
    {
        services.AddScoped<EvidenceExporting>();
        services.AddScoped<PackageFiles>();
        services.AddScoped<IPackageFiles>(sp => sp.GetRequiredService<PackageFiles>());
        services.AddScoped<ReceiptIntake>();
        services.AddSingleton<ExportSignal>();
        services.AddHostedService<ExportWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapExportsModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("证据包");
        feature.MapExports();
        return app;
    }
}
