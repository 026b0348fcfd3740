namespace AvLedger.Server.Compliance;

/// <summary>Art. 12 late saves and recording times a head confirms.</summary>
public static class ComplianceModule
{
    public static IServiceCollection AddComplianceModule(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapComplianceModule(this IEndpointRouteBuilder app)
    {
        app.MapLateSaves();
        app.MapRecordedTimes();
        return app;
    }
}
