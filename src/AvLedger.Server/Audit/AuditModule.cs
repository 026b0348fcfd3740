namespace AvLedger.Server.Audit;

/// <summary>The audit trail, for auditors.</summary>
public static class AuditModule
{
    public static IServiceCollection AddAuditModule(this IServiceCollection services) => services.AddScoped<Core.Audit.AuditTrail>();

    public static IEndpointRouteBuilder MapAuditModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("审计");
        feature.MapAudit();
        return app;
    }
}
