namespace AvLedger.Server.Exports;

/// <summary>Evidence packages, built in the background, downloaded and receipted.</summary>
public static class ExportsModule
{
    public static IServiceCollection AddExportsModule(this IServiceCollection services)
    {
        services.AddSingleton<ExportSignal>();
        services.AddHostedService<ExportWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapExportsModule(this IEndpointRouteBuilder app)
    {
        app.MapExports();
        return app;
    }
}
