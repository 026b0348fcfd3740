using AvLedger.Core.Accounts;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Accounts;

/// <summary>HTTP face of <see cref="AccountDirectory"/>.</summary>
public static class UsersApi
{
    public sealed record PasswordReset(string? Password);
    public sealed record Created(string Id);

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)));
        users.MapPost("/", async (AccountDirectory.NewUser u, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.CreateAsync(actor.Scope, u, ct)).AsCreated(a => $"/api/v1/users/{a.Username}", a => new Created(a.Id)));
        users.MapGet("/", async (CurrentUser actor, AccountDirectory directory, CancellationToken ct, string? unit = null, string? q = null, int page = 1, int pageSize = 100) =>
            (await directory.ListAsync(actor.Scope, ct, unit, q, page, pageSize)).AsOk());
        users.MapPatch("/{username}", async (string username, AccountDirectory.UserChange change, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.ChangeAsync(actor.Scope, username, change, ct)).AsOk());
        users.MapPost("/{username}/disable", async (string username, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.SetDisabledAsync(actor.Scope, username, true, ct)).AsNoContent());
        users.MapPost("/{username}/enable", async (string username, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.SetDisabledAsync(actor.Scope, username, false, ct)).AsNoContent());
        users.MapPost("/{username}/password", async (string username, PasswordReset reset, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.ResetPasswordAsync(actor.Scope, username, reset.Password, ct)).AsNoContent());
        return users;
    }
}
