using Microsoft.AspNetCore.Localization;

namespace AvLedger.Server.Shell;

public static class ShellEndpoints
{
    public static void MapShell(this IEndpointRouteBuilder app)
    {
        app.MapRazorComponents<App>();
        app.MapGet("/", () => Results.LocalRedirect(NavItems.Home)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/culture", (HttpContext http, string? name, string? returnUrl) =>
        {
            var culture = Localization.Supported.FirstOrDefault(c => c == name) ?? Localization.Default;
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            return Results.LocalRedirect(returnUrl is { } r && Uri.IsWellFormedUriString(r, UriKind.Relative) && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : NavItems.Home);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}

/// <summary>Simplified Chinese unless the user picked English (a cookie, not the browser's
/// Accept-Language: officers share machines and the agency works in Chinese).</summary>
public static class Localization
{
    public const string Default = "zh-CN";
    public static readonly string[] Supported = [Default, "en"];

    public static RequestLocalizationOptions Options { get; } = Make();

    static RequestLocalizationOptions Make()
    {
        var o = new RequestLocalizationOptions().SetDefaultCulture(Default).AddSupportedCultures(Supported).AddSupportedUICultures(Supported);
        o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        return o;
    }
}
