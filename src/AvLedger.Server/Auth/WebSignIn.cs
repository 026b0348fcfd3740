using System.Security.Claims;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Auth;

/// <summary>The browser's session: a cookie for the same accounts the API serves with bearer
/// tokens. A request with a bearer token is the API's; everything else goes by the cookie.</summary>
public static class WebSignIn
{
    public const string Scheme = "web-or-api";
    public const string CookieName = "avledger.session";
    public const string AntiforgeryHeader = "RequestVerificationToken";

    public static AuthenticationBuilder AddWebAndApiAuthentication(this IServiceCollection services)
    {
        var auth = services.AddAuthentication(Scheme);
        auth.AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = http =>
            http.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer " + Core.Devices.StationKey.Prefix, StringComparison.Ordinal)
                ? StationKeyAuthentication.SchemeName
                : header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? JwtBearerDefaults.AuthenticationScheme
                : CookieAuthenticationDefaults.AuthenticationScheme);
        auth.AddJwtBearer();
        auth.AddScheme<AuthenticationSchemeOptions, StationKeyAuthentication>(StationKeyAuthentication.SchemeName, null);
        auth.AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // An absolute end (AvLedger:SignInLifetime, set below): activity never extends a sign-in.
            o.SlidingExpiration = false;
            o.LoginPath = "/login";
            o.AccessDeniedPath = "/error/403";
            o.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = ValidateAsync,
                OnRedirectToLogin = ctx => IsApi(ctx.Request) ? Problems.Unauthorized().ExecuteAsync(ctx.HttpContext) : Redirect(ctx),
                OnRedirectToAccessDenied = ctx => IsApi(ctx.Request) ? Problems.Forbidden().ExecuteAsync(ctx.HttpContext) : Redirect(ctx),
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<AvLedgerOptions>>((o, options) => o.ExpireTimeSpan = options.Value.SignInLifetime);
        services.AddAntiforgery(o => o.HeaderName = AntiforgeryHeader);
        return auth;
    }

    public const string UploaderPolicy = "uploader";

    /// <summary>People (token or cookie) by default; the uploader policy also admits collection stations.</summary>
    public static void AddPolicies(Microsoft.AspNetCore.Authorization.AuthorizationOptions o)
    {
        var person = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim("sub").Build();
        o.DefaultPolicy = person;
        o.FallbackPolicy = person;
        o.AddPolicy(UploaderPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasClaim(x => x.Type is "sub" or StationKeyAuthentication.StationClaim)));
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>The account a validated token or cookie belongs to, read afresh on every request: null
    /// when it is disabled or its security stamp moved on since the sign-in (password changed or reset,
    /// roles or unit changed, second factor changed, signed out).</summary>
    public static async Task<Account?> CurrentAccountAsync(HttpContext http, ClaimsPrincipal? principal)
    {
        var id = principal?.FindFirstValue("sub");
        var stamp = principal?.FindFirstValue(Tokens.StampClaim);
        if (id is null || string.IsNullOrEmpty(stamp)) return null;
        var db = http.RequestServices.GetRequiredService<AvLedgerDb>();
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && !a.Disabled, http.RequestAborted);
        if (account is null || !string.Equals(account.SecurityStamp, stamp, StringComparison.Ordinal)) return null;
        http.Items[CurrentUser.ItemKey] = account;
        return account;
    }

    /// <summary>Roles come from the database, not from what the cookie said when it was issued.</summary>
    static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var account = await CurrentAccountAsync(ctx.HttpContext, ctx.Principal);
        if (account is null)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        ctx.ReplacePrincipal(Principal(account));
    }

    public static ClaimsPrincipal Principal(Account account, string authenticationType = CookieAuthenticationDefaults.AuthenticationScheme) => new(new ClaimsIdentity(
        [new Claim("sub", account.Id), new Claim(Tokens.StampClaim, account.SecurityStamp), new Claim("name", account.DisplayName),
            .. Roles.Each(account.Roles).Select(r => new Claim("role", r.ToString()))],
        authenticationType, "name", "role"));

    /// <summary>The web app's cookie is sent by the browser on any request to us, so a state-changing
    /// API call that relies on it must also carry the antiforgery token the page was given.</summary>
    public static IApplicationBuilder UseApiForgeryProtection(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (IsApi(request) && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && http.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme
            && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            await Problems.From(new Core.Refusals.Refusal(400, "antiforgery-invalid")).ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    public static void MapSignOut(this IEndpointRouteBuilder app) =>
        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            // Signing out ends the sign-in everywhere (a copied cookie too), not just in this browser.
            if (http.Items[CurrentUser.ItemKey] is Account signedIn)
            {
                var db = http.RequestServices.GetRequiredService<AvLedgerDb>();
                await db.Accounts.Where(a => a.Id == signedIn.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.SecurityStamp, Account.NewStamp()), http.RequestAborted);
            }
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
}
