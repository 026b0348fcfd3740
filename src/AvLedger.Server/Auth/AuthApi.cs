using AvLedger.Core.Accounts;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AvLedger.Server.Auth;

public static class AuthApi
{
    public const string SignInLimit = "sign-in";

    public sealed record TokenRequest(string? Username, string? Password, string? Totp = null);
    public sealed record TotpConfirmation(string? Code);
    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<Role> Roles, string RefreshToken, DateTimeOffset RefreshExpiresAt);
    public sealed record RefreshRequest(string? RefreshToken);
    public sealed record PasswordChange(string? Username, string? CurrentPassword, string? NewPassword, string? Totp = null);

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").AllowAnonymous();
        auth.MapPost("/token", IssueToken).RequireRateLimiting(SignInLimit)
            .WithSummary("签发访问令牌（用户名、密码登录）")
            .WithDescription("返回 15 分钟有效的访问令牌（Bearer）和只可使用一次的刷新令牌；已绑定二次验证的账户须同时提交一次性验证码 totp。连续失败会锁定账户，并按客户端和用户名限速。");
        auth.MapPost("/refresh", RefreshAsync).RequireRateLimiting(SignInLimit)
            .WithSummary("刷新访问令牌")
            .WithDescription("以刷新令牌换取新的访问令牌和新的刷新令牌；刷新令牌只可使用一次，密码修改、重置、角色变更或退出后失效。");
        auth.MapPost("/password", ChangePassword).RequireRateLimiting(SignInLimit)
            .WithSummary("修改本人密码")
            .WithDescription("须提交当前密码（已绑定二次验证的须提交 totp）；修改后该账户的所有登录失效。");
        var factor = app.MapGroup("/api/v1/auth/totp").RequireAuthorization();
        factor.MapPost("/", EnrollAsync)
            .WithSummary("开始绑定二次验证（TOTP）")
            .WithDescription("返回 TOTP 密钥和 otpauth 地址，供验证器应用添加；绑定须以 /confirm 确认。");
        factor.MapPost("/confirm", ConfirmEnrollmentAsync)
            .WithSummary("确认绑定二次验证（TOTP）")
            .WithDescription("提交验证器应用显示的一次性验证码，绑定生效。");
        return auth;
    }

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        TokenRequest request, SignIns signIns, Tokens tokens, Core.Data.AvLedgerDb db, HttpContext http, CancellationToken ct)
    {
        var result = await signIns.CheckAsync(request.Username, request.Password, request.Totp, ct);
        return signIns.RefusalOf(result) is { } refused
            ? Problems.From(refused, http.Response)
            : TypedResults.Ok(Response(await tokens.SignInAsync(db, result.Account!, ct)));
    }

    static TokenResponse Response(Tokens.Issued issued) =>
        new(issued.AccessToken, issued.ExpiresAt, Roles.Each(issued.Account.Roles).ToList(), issued.RefreshToken, issued.RefreshExpiresAt);

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RefreshAsync(RefreshRequest request, Tokens tokens, Core.Data.AvLedgerDb db, CancellationToken ct) =>
        await tokens.RefreshAsync(db, request.RefreshToken, ct) is { } issued
            ? TypedResults.Ok(Response(issued))
            : Problems.From(SignInRefusals.RefreshInvalid);

    public static ProblemHttpResult TooManySignIns(HttpContext http) => Problems.From(SignInRefusals.TooManySignIns, http.Response);

    static async Task<Results<Ok<TotpEnrollment>, ProblemHttpResult>> EnrollAsync([FromBody] TotpConfirmation? c, CurrentUser user,
        SecondFactorEnrolment enrolment, HttpContext http, CancellationToken ct)
    {
        var started = await enrolment.StartAsync(user.Id, c?.Code, ct);
        return started.Refusal is { } refused ? Problems.From(refused, http.Response) : TypedResults.Ok(started.Value!);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> ConfirmEnrollmentAsync(TotpConfirmation c, CurrentUser user, SecondFactorEnrolment enrolment, CancellationToken ct) =>
        (await enrolment.ConfirmAsync(user.Id, c.Code, ct)).Refusal.AsNoContent();

    /// <summary>Needs the second factor where enrolled; ends every sign-in of the account and signs nobody in.</summary>
    static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(PasswordChange request, SignIns signIns, HttpContext http, CancellationToken ct) =>
        await signIns.ChangePasswordOrRefuseAsync(request.Username, request.CurrentPassword, request.NewPassword, request.Totp, ct) is { } refused
            ? Problems.From(refused, http.Response)
            : TypedResults.NoContent();
}
