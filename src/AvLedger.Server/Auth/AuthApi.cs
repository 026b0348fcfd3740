using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

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
        TokenRequest request, AvLedgerDb db, Tokens tokens, IPasswordHasher<Account> hasher, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
            return Problems.Of(400, "credentials-missing", "缺少用户名或密码", "Username and password are required");
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == request.Username && !a.Disabled, ct);
        var verdict = account is null ? PasswordVerificationResult.Failed : hasher.VerifyHashedPassword(account, account.PasswordHash, request.Password);
        if (account is null || verdict == PasswordVerificationResult.Failed)
            return Problems.Of(401, "bad-credentials", "用户名或密码错误", "Wrong username or password");
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = hasher.HashPassword(account, request.Password);
            await db.SaveChangesAsync(ct);
        }
        var (token, expires) = tokens.Issue(account);
        return TypedResults.Ok(new TokenResponse(token, expires, account.Role));
    }
}
