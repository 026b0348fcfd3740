namespace AvLedger.Server.Cases;

/// <summary>Cases, their links to records and sessions, and imports from the enforcement management system (Art. 15).</summary>
public static class CasesModule
{
    public static IServiceCollection AddCasesModule(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCasesModule(this IEndpointRouteBuilder app)
    {
        app.MapCases();
        return app;
    }
}
