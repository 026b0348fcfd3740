using AvLedger.Core.Compliance;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Compliance;

/// <summary>Art. 12 late saves and recording times a head confirms.</summary>
public static class ComplianceModule
{
    public static IServiceCollection AddComplianceModule(this IServiceCollection services)
    {
        services.AddScoped<LateSaves>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value;
            return new RecordedTimes.Settings(o.Sessions.GroupingWindow, o.CaseLinkBuffer);
        });
        services.AddScoped<RecordedTimes>();
        return services;
    }

    public static IEndpointRouteBuilder MapComplianceModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("逾期保存与录制时间");
        feature.MapLateSaves();
        feature.MapRecordedTimes();
        return app;
    }
}
