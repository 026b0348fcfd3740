using AvLedger.Core.Accounts;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Auth;

public static class AuthApi
{
    public const string SignInLimit = "sign-in";

    public sealed record TokenRequest(string? Username, string? Password);
    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, Role Role);

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").AllowAnonymous();
        auth.MapPost("/token", IssueToken).RequireRateLimiting(SignInLimit);
        return auth;
    }

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        TokenRequest request, SignIns signIns, Tokens tokens, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var result = await signIns.CheckAsync(request.Username, request.Password, ct);
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
                return TypedResults.Ok(new TokenResponse(token, expires, result.Account!.Role));
            default:
                return Problems.Of(401, "bad-credentials", "用户名或密码错误", "Wrong username or password");
        }
    }

    public static ProblemHttpResult LockedOut(DateTimeOffset until)
    {
        var china = Core.Records.RecordingTimes.ToChina(until).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Of(403, "account-locked", "账户因多次密码错误已暂时锁定", "Account temporarily locked after repeated wrong passwords",
            $"请于 {china}（北京时间）后再试，或联系管理员。", $"Try again after {china} (China time), or ask an administrator.");
    }
}
