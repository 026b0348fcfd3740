using AvLedger.Core.Derivatives;

namespace AvLedger.Server.Derivatives;

/// <summary>Clips and other derivatives of a record, cut in the background.</summary>
public static class DerivativesModule
{
    public static IServiceCollection AddDerivativesModule(this IServiceCollection services)
    {
        services.AddScoped<DerivativeRegister>();
        services.AddSingleton<ClipSignal>();
        services.AddHostedService<ClipWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapDerivativesModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("派生文件");
        feature.MapDerivatives();
        return app;
    }
}
