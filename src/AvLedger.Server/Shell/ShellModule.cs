namespace AvLedger.Server.Shell;

/// <summary>The web pages' shell: Razor components, layouts, the language switch.</summary>
public static class ShellModule
{
    public static IServiceCollection AddShellModule(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddLocalization();
        services.AddScoped<Core.Accounts.FormSubmissions>();
        // Chinese text goes out as UTF-8, not as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return services;
    }

    public static IEndpointRouteBuilder MapShellModule(this IEndpointRouteBuilder app)
    {
        app.MapShell();
        return app;
    }
}
