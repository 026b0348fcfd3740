using AvLedger.Core.Sessions;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Sessions;

/// <summary>Enforcement sessions (Art. 9), the head's inbox, interruptions and activities not recorded (Art. 11), key-content markers (Art. 10).</summary>
public static class SessionsModule
{
    public static IServiceCollection AddSessionsModule(this IServiceCollection services)
    {
        services.AddSingleton(sp => new EnforcementSessions.Settings(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.Sessions.InterruptionThreshold));
        services.AddScoped<EnforcementSessions>();
        services.AddScoped<OfficerInbox>();
        services.AddScoped<NoRecordingReports>();
        services.AddScoped<KeyContentMarking>();
        return services;
    }

    public static IEndpointRouteBuilder MapSessionsModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("执法过程");
        feature.MapSessions();
        feature.MapInbox();
        feature.MapNoRecordingReports();
        feature.MapMarkers();
        return app;
    }
}
