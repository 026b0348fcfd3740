using System.Threading.RateLimiting;
using AvLedger.Core.Accounts;
using AvLedger.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Auth;

/// <summary>Signing in: web cookies and API tokens, the second factor, the roles' policies and the sign-in rate limit.</summary>
public static class AuthModule
{
    public static IServiceCollection AddAuthModule(this IServiceCollection services)
    {
        services.AddSingleton<Tokens>();
        services.AddScoped<SignIns>();
        services.AddScoped<SecondFactorEnrolment>();
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<ISignInLimit>(sp => sp.GetRequiredService<SignInLimiter>());
        services.AddSingleton<ISecretBox, SecretBox>();
        services.AddSingleton<SecondFactor>();
        services.AddSingleton(sp =>
        {
            var lockout = sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.Lockout;
            return new Lockout(lockout.MaxFailures, lockout.Duration);
        });
        services.AddWebAndApiAuthentication();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<MasterKey, TimeProvider, IOptions<AvLedgerOptions>>(
            (o, master, clock, options) => Tokens.Configure(o, master, clock, options.Value.TokenLifetime));
        services.AddAuthorization(WebSignIn.AddPolicies);
        services.AddRateLimiter(o =>
        {
            o.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                return new ValueTask(AuthApi.TooManySignIns(http).ExecuteAsync(http));
            };
            o.AddPolicy(AuthApi.SignInLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<AvLedgerOptions>>().Value.SignInsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapAuthModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("登录与令牌");
        feature.MapAuth();
        feature.MapSignOut();
        return app;
    }
}
