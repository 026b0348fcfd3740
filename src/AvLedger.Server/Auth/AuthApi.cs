using AvLedger.Core.Accounts;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Auth;

public static class AuthApi
{
    public const string SignInLimit = "sign-in";

    public sealed record TokenRequest(string? Username, string? Password, string? Totp = null);
    public sealed record TotpEnrollment(string Secret, string Uri);
    public sealed record TotpConfirmation(string? Code);
    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<Role> Roles);
    public sealed record PasswordChange(string? Username, string? CurrentPassword, string? NewPassword);

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").AllowAnonymous();
        auth.MapPost("/token", IssueToken).RequireRateLimiting(SignInLimit);
        auth.MapPost("/password", ChangePassword).RequireRateLimiting(SignInLimit);
        var factor = app.MapGroup("/api/v1/auth/totp").RequireAuthorization();
        factor.MapPost("/", EnrollAsync);
        factor.MapPost("/confirm", ConfirmEnrollmentAsync);
        return auth;
    }

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        TokenRequest request, SignIns signIns, Tokens tokens, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var result = await signIns.CheckAsync(request.Username, request.Password, request.Totp, ct);
        switch (result.Outcome)
        {
            case SignInOutcome.Missing:
                return Problems.Of(400, "credentials-missing", "缺少用户名或密码", "Username and password are required");
            case SignInOutcome.LockedOut:
                var until = result.LockedUntil!.Value;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return LockedOut(until);
            case SignInOutcome.Success:
                var (token, expires) = tokens.Issue(result.Account!);
                return TypedResults.Ok(new TokenResponse(token, expires, Roles.Each(result.Account!.Roles).ToList()));
            case SignInOutcome.PasswordChangeRequired:
                return PasswordChangeRequired();
            case SignInOutcome.SecondFactorRequired:
                return Problems.Of(401, "totp-required", "请输入动态口令", "One-time code required",
                    "此账号已启用动态口令，请同时提供 totp（认证器上的 6 位数字）。", "This account uses a second factor; send totp (the 6-digit code from the authenticator).");
            default:
                return Problems.Of(401, "bad-credentials", "用户名或密码错误", "Wrong username or password");
        }
    }

    /// <summary>Starts TOTP enrolment: a new secret for the authenticator app, active once confirmed.</summary>
    static async Task<IResult> EnrollAsync(CurrentUser user, Core.Data.AvLedgerDb db, SecondFactor factor, CancellationToken ct)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == user.Id, ct);
        var secret = factor.Begin(account);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TotpEnrollment(secret, SecondFactor.Uri(account, secret)));
    }

    static async Task<IResult> ConfirmEnrollmentAsync(TotpConfirmation c, CurrentUser user, Core.Data.AvLedgerDb db, SecondFactor factor, CancellationToken ct)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == user.Id, ct);
        if (account.TotpPending is null) return Problems.Of(409, "totp-not-started", "尚未开始绑定动态口令", "No enrolment started", "请先 POST /api/v1/auth/totp。", "POST /api/v1/auth/totp first.");
        if (!factor.Complete(db, account, c.Code))
            return Problems.Of(400, "totp-invalid", "动态口令不正确", "Wrong code", "请输入认证器当前显示的 6 位数字。", "Enter the 6 digits the authenticator shows now.");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static ProblemHttpResult PasswordChangeRequired() =>
        Problems.Of(403, "password-change-required", "请先修改初始密码", "Change the initial password first",
            "此密码由管理员设置，须先通过 POST /api/v1/auth/password 修改后才能登录。", "An administrator set this password; change it with POST /api/v1/auth/password before signing in.");

    static async Task<IResult> ChangePassword(PasswordChange request, SignIns signIns, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var (result, weak) = await signIns.ChangePasswordAsync(request.Username, request.CurrentPassword, request.NewPassword, ct);
        if (weak is { } w) return Problems.Of(400, "password-weak", "新密码不符合要求", "The new password is not acceptable", w.Zh, w.En);
        return result.Outcome switch
        {
            SignInOutcome.Success => TypedResults.NoContent(),
            SignInOutcome.Missing => Problems.Of(400, "credentials-missing", "缺少用户名或密码", "Username and password are required"),
            SignInOutcome.LockedOut => LockedOut(result.LockedUntil!.Value),
            _ => Problems.Of(401, "bad-credentials", "用户名或密码错误", "Wrong username or password"),
        };
    }

    public static ProblemHttpResult LockedOut(DateTimeOffset until)
    {
        var china = Core.Records.RecordingTimes.ToChina(until).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Of(403, "account-locked", "账户因多次密码错误已暂时锁定", "Account temporarily locked after repeated wrong passwords",
            $"请于 {china}（北京时间）后再试，或联系管理员。", $"Try again after {china} (China time), or ask an administrator.");
    }
}
