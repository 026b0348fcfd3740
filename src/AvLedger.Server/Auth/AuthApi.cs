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
        auth.MapPost("/token", IssueToken).RequireRateLimiting(SignInLimit);
        auth.MapPost("/refresh", RefreshAsync).RequireRateLimiting(SignInLimit);
        auth.MapPost("/password", ChangePassword).RequireRateLimiting(SignInLimit);
        var factor = app.MapGroup("/api/v1/auth/totp").RequireAuthorization();
        factor.MapPost("/", EnrollAsync);
        factor.MapPost("/confirm", ConfirmEnrollmentAsync);
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
