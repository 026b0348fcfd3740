using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AvLedger.Server.Auth;

/// <summary>Bearer tokens: short-lived JWTs signed with a key derived from the master key (so every
/// node that shares it accepts them), carrying only the account id and its security stamp — roles
/// and unit are read from the database on every request. A one-time refresh token, stored as its
/// hash, gets the next access token until the sign-in's absolute end.</summary>
public sealed class Tokens(MasterKey master, IOptions<AvLedgerOptions> options, TimeProvider clock)
{
    public const string Issuer = "avledger";
    public const string StampClaim = "stamp";
    readonly SymmetricSecurityKey key = SigningKey(master);

    public sealed record Issued(Account Account, string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt);

    public static SymmetricSecurityKey SigningKey(MasterKey master) => new(master.Derive("avledger-token-signing-v1"));

    public (string Token, DateTimeOffset ExpiresAt) Issue(Account account)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", account.Id), new Claim(StampClaim, account.SecurityStamp)]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    /// <summary>A new sign-in: an access token and a refresh token good until the sign-in's absolute end.</summary>
    public Task<Issued> SignInAsync(AvLedgerDb db, Account account, CancellationToken ct) =>
        IssueAsync(db, account, clock.GetUtcNow() + options.Value.SignInLifetime, ct);

    /// <summary>Trades a refresh token for the next pair, once. Null when it is unknown, used, expired,
    /// or its account's stamp has changed since. A used token shown again was copied: that ends
    /// every sign-in of the account, the thief's and the owner's alike.</summary>
    public async Task<Issued?> RefreshAsync(AvLedgerDb db, string? refreshToken, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(refreshToken) || refreshToken.Length > 100) return null;
        var hash = HashOf(refreshToken);
        var row = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, ct);
        if (row is null) return null;
        var now = clock.GetUtcNow();
        // The conditional UPDATE lets exactly one of two racing uses through.
        var taken = await db.RefreshTokens.Where(t => t.Id == row.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct) == 1;
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == row.AccountId && !a.Disabled, ct);
        if (account is null || account.SecurityStamp != row.Stamp) return null;
        if (!taken)
        {
            account.EndSignIns();
            await db.SaveChangesAsync(ct);
            return null;
        }
        return row.ExpiresAt <= now ? null : await IssueAsync(db, account, row.ExpiresAt, ct);
    }

    async Task<Issued> IssueAsync(AvLedgerDb db, Account account, DateTimeOffset end, CancellationToken ct)
    {
        var (token, expires) = Issue(account);
        var refresh = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Ids.New(),
            AccountId = account.Id,
            Hash = HashOf(refresh),
            Stamp = account.SecurityStamp,
            IssuedAt = clock.GetUtcNow(),
            ExpiresAt = end,
        });
        await db.SaveChangesAsync(ct);
        return new Issued(account, token, expires, refresh, end);
    }

    static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static void Configure(JwtBearerOptions o, MasterKey master, TimeProvider clock, TimeSpan tokenLifetime)
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = SigningKey(master),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            // Room for nodes' clocks to differ, but never more than a tenth of a token's life.
            ClockSkew = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, tokenLifetime.Ticks / 10)),
            // The server's clock (injected), not the token library's idea of now.
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return expires is { } e && e > now - p.ClockSkew && (notBefore is not { } nb || nb <= now + p.ClockSkew);
            },
            NameClaimType = "sub",
            RoleClaimType = "role",
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async ctx =>
            {
                var account = await WebSignIn.CurrentAccountAsync(ctx.HttpContext, ctx.Principal);
                if (account is null) ctx.Fail("account disabled, or signed out since the token was issued");
                else ctx.Principal = WebSignIn.Principal(account, JwtBearerDefaults.AuthenticationScheme);
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
