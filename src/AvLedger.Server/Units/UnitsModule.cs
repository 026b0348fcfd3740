using AvLedger.Core.Units;

namespace AvLedger.Server.Units;

/// <summary>The unit tree.</summary>
public static class UnitsModule
{
    public static IServiceCollection AddUnitsModule(this IServiceCollection services) => services.AddScoped<UnitTree>();

    public static IEndpointRouteBuilder MapUnitsModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("单位");
        feature.MapUnits();
        return app;
    }
}
