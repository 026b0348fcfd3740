using System.Security.Claims;
using System.Text.Encodings.Web;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Server.Devices;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Auth;

/// <summary>A collection station's key (Authorization: Bearer avl_st_…). The station acts as an
/// account with no roles: it passes only the uploader policy, so it can upload and nothing else.</summary>
public sealed class StationKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "station-key";
    public const string StationClaim = "station";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer " + StationKey.Prefix, StringComparison.Ordinal)) return AuthenticateResult.NoResult();
        var hash = Core.Devices.StationKeys.HashOf(header["Bearer ".Length..].Trim());
        var db = Context.RequestServices.GetRequiredService<AvLedgerDb>();
        var station = await db.StationKeys.AsNoTracking().Where(k => k.Hash == hash && k.RevokedAt == null)
            .Join(db.Devices, k => k.DeviceId, d => d.Id, (k, d) => new { KeyId = k.Id, d.Code, d.UnitId })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (station is null) return AuthenticateResult.Fail("unknown or revoked station key");
        var unitPath = station.UnitId is null ? null : await db.Units.Where(u => u.Id == station.UnitId).Select(u => u.Path).SingleOrDefaultAsync(Context.RequestAborted);
        Context.Items[CurrentUser.ItemKey] = new Account
        {
            Id = station.KeyId,
            Username = CurrentUser.StationPrefix + station.Code,
            PasswordHash = "",
            Roles = Role.None,
            DisplayName = station.Code,
            UnitId = station.UnitId,
            UnitPath = unitPath,
        };
        var identity = new ClaimsIdentity([new Claim(StationClaim, station.Code)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Problems.Unauthorized().ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Problems.Forbidden().ExecuteAsync(Context);
}
