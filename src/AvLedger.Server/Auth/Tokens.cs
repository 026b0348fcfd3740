using System.Security.Claims;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Hosting;
using AvLedger.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AvLedger.Server.Auth;

/// <summary>Bearer tokens: JWTs signed with a key derived from the master key, so every node
/// that shares the master key accepts them and nothing extra needs storing.</summary>
public sealed class Tokens(MasterKey master, IOptions<AvLedgerOptions> options)
{
    public const string Issuer = "avledger";
    readonly SymmetricSecurityKey key = SigningKey(master);

    public static SymmetricSecurityKey SigningKey(MasterKey master) => new(master.Derive("avledger-token-signing-v1"));

    public (string Token, DateTimeOffset ExpiresAt) Issue(Account account)
    {
        // The JWT handler validates against the system clock, so tokens are issued by it too.
        var now = TimeProvider.System.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", account.Id), .. Roles.Each(account.Roles).Select(r => new Claim("role", r.ToString()))]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    public static void Configure(JwtBearerOptions o, MasterKey master)
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = SigningKey(master),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = "sub",
            RoleClaimType = "role",
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async ctx =>
            {
                var id = ctx.Principal?.FindFirstValue("sub");
                var db = ctx.HttpContext.RequestServices.GetRequiredService<AvLedgerDb>();
                var account = id is null ? null : await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && !a.Disabled, ctx.HttpContext.RequestAborted);
                if (account is null) ctx.Fail("account no longer exists or is disabled");
                else ctx.HttpContext.Items[CurrentUser.ItemKey] = account;
            },
            OnChallenge = async ctx =>
            {
                ctx.HandleResponse();
                await Problems.Unauthorized().ExecuteAsync(ctx.HttpContext);
            },
            OnForbidden = ctx => Problems.Forbidden().ExecuteAsync(ctx.HttpContext),
        };
    }
}
