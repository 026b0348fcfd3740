using AvLedger.Core.Audit;
using AvLedger.Core.Records;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Records;

/// <summary>Records: search, playback and download, web renditions, changes to a record, and the activity types records are filed under.</summary>
public static class RecordsModule
{
    public static IServiceCollection AddRecordsModule(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value;
            return new ActivityTypeCatalog(o.ActivityTypes, o.DisabledActivityTypes);
        });
        services.AddSingleton<RenditionSignal>();
        services.AddHostedService<RenditionWorker>();
        services.AddSingleton<Viewings>();
        services.AddScoped<ContentRelease>();
        services.AddScoped<RecordChanges>();
        services.AddScoped<RecordFinder>();
        services.AddScoped<RecordDesk>();
        services.AddScoped<Ledger.RecordLedgerStatus.Check>();
        return services;
    }

    public static IEndpointRouteBuilder MapRecordsModule(this IEndpointRouteBuilder app)
    {
        app.MapRecordChanges();
        app.MapRecords();
        return app;
    }
}
