using Microsoft.Extensions.Options;

namespace AvLedger.Server.Ingest;

/// <summary>Uploads (tus) and the durable processing that turns one into a record.</summary>
public static class IngestModule
{
    public static IServiceCollection AddIngestModule(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PartialUploads(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.DataDir));
        services.AddSingleton<IngestSignal>();
        services.AddScoped<IngestProcessor>();
        services.AddHostedService<IngestWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapIngestModule(this IEndpointRouteBuilder app)
    {
        app.MapUploads();
        return app;
    }
}
