using AvLedger.Core.Ingest;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Ingest;

/// <summary>Uploads (tus) and the durable processing that turns one into a record.</summary>
public static class IngestModule
{
    public static IServiceCollection AddIngestModule(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PartialUploads(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.DataDir));
        services.AddSingleton<IngestSignal>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.Uploads;
            return new Uploads.Limits(o.MaxSize, o.Expiration, o.EmptyExpiration, o.UnfinishedBytesPerPerson, o.UnfinishedBytesPerStation,
                o.CreationsPerMinutePerPerson, o.CreationsPerMinutePerStation);
        });
        services.AddScoped<Uploads>();
        services.AddScoped<IngestProcessor>();
        services.AddHostedService<IngestWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapIngestModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("上传（tus）");
        feature.MapUploads();
        return app;
    }
}
