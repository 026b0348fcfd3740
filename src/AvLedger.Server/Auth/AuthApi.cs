using AvLedger.Core.Accounts;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Auth;

public static class AuthApi
{
    public const string SignInLimit = "sign-in";

    public sealed record TokenRequest(string? Username, string? Password, string? Totp = null);
    public sealed record TotpEnrollment(string Secret, string Uri);
    public sealed record TotpConfirmation(string? Code);
    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<Role> Roles, string RefreshToken, DateTimeOffset RefreshExpiresAt);
    public sealed record RefreshRequest(string? RefreshToken);
    public sealed record PasswordChange(string? Username, string? CurrentPassword, string? NewPassword, string? Totp = null);

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").AllowAnonymous();
        auth.MapPost("/token", IssueToken).RequireRateLimiting(SignInLimit);
        auth.MapPost("/refresh", RefreshAsync).RequireRateLimiting(SignInLimit);
        auth.MapPost("/password", ChangePassword).RequireRateLimiting(SignInLimit);
        var factor = app.MapGroup("/api/v1/auth/totp").RequireAuthorization();
        factor.MapPost("/", EnrollAsync);
        factor.MapPost("/confirm", ConfirmEnrollmentAsync);
        return auth;
    }

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        TokenRequest request, SignIns signIns, Tokens tokens, Core.Data.AvLedgerDb db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var result = await signIns.CheckAsync(request.Username, request.Password, request.Totp, ct);
        return result.Outcome switch
        {
            SignInOutcome.Success => TypedResults.Ok(Response(await tokens.SignInAsync(db, result.Account!, ct))),
            SignInOutcome.PasswordChangeRequired => PasswordChangeRequired(),
            _ => Refusal(result, http, clock),
        };
    }

    /// <summary>The answers a failed check gets. A locked name is answered the same whether or not an
    /// account has it (unknown names are counted and locked too).</summary>
    static ProblemHttpResult Refusal(SignInResult result, HttpContext http, TimeProvider clock)
    {
        switch (result.Outcome)
        {
            case SignInOutcome.Missing:
                return Problems.Of(400, "credentials-missing", "缺少用户名或密码", "Username and password are required");
            case SignInOutcome.RateLimited:
                return TooManySignIns(http);
            case SignInOutcome.LockedOut:
                var until = result.LockedUntil!.Value;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return LockedOut(until);
            case SignInOutcome.SecondFactorRequired:
                return Problems.Of(401, "totp-required", "请输入动态口令", "One-time code required",
                    "此账号已启用动态口令，请同时提供 totp（认证器上的 6 位数字）。", "This account uses a second factor; send totp (the 6-digit code from the authenticator).");
            default:
                return Problems.Of(401, "bad-credentials", "用户名或密码错误", "Wrong username or password");
        }
    }

    static TokenResponse Response(Tokens.Issued issued) =>
        new(issued.AccessToken, issued.ExpiresAt, Roles.Each(issued.Account.Roles).ToList(), issued.RefreshToken, issued.RefreshExpiresAt);

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RefreshAsync(RefreshRequest request, Tokens tokens, Core.Data.AvLedgerDb db, CancellationToken ct)
    {
        if (await tokens.RefreshAsync(db, request.RefreshToken, ct) is not { } issued)
            return Problems.Of(401, "refresh-invalid", "登录已失效，请重新登录", "Sign in again",
                "刷新令牌无效、已使用或已过期，或账号的登录状态已被撤销（改密、重置、登出、角色变更）。",
                "The refresh token is unknown, used or expired, or the account's sign-ins were ended (password change or reset, sign-out, role change).");
        return TypedResults.Ok(Response(issued));
    }

    public static ProblemHttpResult TooManySignIns(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "60";
        return Problems.Of(429, "too-many-sign-ins", "登录尝试过于频繁", "Too many sign-in attempts", "请一分钟后再试。", "Try again in a minute.");
    }

    /// <summary>Starts TOTP enrolment: a new secret for the authenticator app, active once confirmed.
    /// Replacing an active second factor needs a current code from it: a stolen token or cookie
    /// alone must not move the factor to the thief's phone.</summary>
    static async Task<IResult> EnrollAsync([FromBody] TotpConfirmation? c, CurrentUser user, Core.Data.AvLedgerDb db, SecondFactor factor, SignIns signIns,
        HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == user.Id, ct);
        if (account.TotpEnabled)
        {
            if (string.IsNullOrEmpty(c?.Code))
                return Problems.Of(401, "totp-required", "请输入当前的动态口令", "Current one-time code required",
                    "更换动态口令须提供当前认证器上的 6 位数字（code）。", "Replacing the second factor needs the current 6-digit code (code).");
            var (check, _) = await signIns.ConfirmAsync(account, null, c.Code, ct);
            if (check.Outcome == SignInOutcome.LockedOut) return Refusal(check, http, clock);
            if (check.Outcome != SignInOutcome.Success) return TotpInvalid();
        }
        var secret = factor.Begin(account);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TotpEnrollment(secret, SecondFactor.Uri(account, secret)));
    }

    static async Task<IResult> ConfirmEnrollmentAsync(TotpConfirmation c, CurrentUser user, Core.Data.AvLedgerDb db, SecondFactor factor, CancellationToken ct)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == user.Id, ct);
        if (account.TotpPending is null) return Problems.Of(409, "totp-not-started", "尚未开始绑定动态口令", "No enrolment started", "请先 POST /api/v1/auth/totp。", "POST /api/v1/auth/totp first.");
        if (!factor.Complete(db, account, c.Code))
            return TotpInvalid();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult TotpInvalid() =>
        Problems.Of(400, "totp-invalid", "动态口令不正确", "Wrong code", "请输入认证器当前显示的 6 位数字（每个口令只能使用一次）。", "Enter the 6 digits the authenticator shows now (each code works once).");

    public static ProblemHttpResult PasswordChangeRequired() =>
        Problems.Of(403, "password-change-required", "请先修改初始密码", "Change the initial password first",
            "此密码由管理员设置，须先通过 POST /api/v1/auth/password 修改后才能登录。", "An administrator set this password; change it with POST /api/v1/auth/password before signing in.");

    /// <summary>Needs the second factor where enrolled; ends every sign-in of the account and signs nobody in.</summary>
    static async Task<IResult> ChangePassword(PasswordChange request, SignIns signIns, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var (result, weak) = await signIns.ChangePasswordAsync(request.Username, request.CurrentPassword, request.NewPassword, request.Totp, ct);
        if (weak is { } w) return Problems.From(w);
        return result.Outcome == SignInOutcome.Success ? TypedResults.NoContent() : Refusal(result, http, clock);
    }

    public static ProblemHttpResult LockedOut(DateTimeOffset until) => Problems.From(Approvals.WrittenConfirmation.LockedOut(until));
}
