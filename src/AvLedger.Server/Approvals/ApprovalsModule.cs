namespace AvLedger.Server.Approvals;

/// <summary>Access requests and their written decisions, and provisions to other organisations.</summary>
public static class ApprovalsModule
{
    public static IServiceCollection AddApprovalsModule(this IServiceCollection services) =>
        services.AddScoped<Core.Approvals.IWrittenConfirmation, SignInConfirmation>();

    public static IEndpointRouteBuilder MapApprovalsModule(this IEndpointRouteBuilder app)
    {
        app.MapAccessRequests();
        app.MapProvisions();
        return app;
    }
}
