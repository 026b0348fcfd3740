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
        // One tag per feature: the reference at /docs lists the feature's operations together.
        var feature = app.MapGroup("").WithTags("执法音像记录");
        feature.MapRecordChanges();
        feature.MapRecords();
        return app;
    }
}
