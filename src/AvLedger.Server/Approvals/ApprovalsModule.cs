using AvLedger.Core.Approvals;

namespace AvLedger.Server.Approvals;

/// <summary>Access requests and their written decisions, and provisions to other organisations.</summary>
public static class ApprovalsModule
{
    public static IServiceCollection AddApprovalsModule(this IServiceCollection services) => services
        .AddScoped<AccessRequestDesk>()
        .AddScoped<WrittenApprovals>()
        .AddScoped<IWrittenConfirmation, WrittenConfirmation>();

    public static IEndpointRouteBuilder MapApprovalsModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("调阅、复制与对外提供");
        feature.MapAccessRequests();
        feature.MapProvisions();
        return app;
    }
}
