namespace AvLedger.Server.Workbench;

/// <summary>The landing page and the menu's counts of what waits (<see cref="Core.Workbench.Workbench"/>).</summary>
public static class WorkbenchModule
{
    public static IServiceCollection AddWorkbenchModule(this IServiceCollection services) => services.AddScoped<Core.Workbench.Workbench>();
}
