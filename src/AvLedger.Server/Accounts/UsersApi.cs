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
        var users = app.MapGroup("/api/v1/users").RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator))).WithParameter("username", "用户名");
        users.MapPost("/", async (AccountDirectory.NewUser u, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.CreateAsync(actor.Scope, u, ct)).AsCreated(a => $"/api/v1/users/{a.Username}", a => new Created(a.Id)))
            .WithSummary("新增用户（系统管理员）")
            .WithDescription("可查看他人记录的角色和涉密授权须由第二人确认后生效（见 /api/v1/role-grants）。");
        users.MapGet("/", async (CurrentUser actor, AccountDirectory directory, CancellationToken ct, string? unit = null, string? q = null, int page = 1, int pageSize = 100) =>
            (await directory.ListAsync(actor.Scope, ct, unit, q, page, pageSize)).AsOk())
            .WithSummary("用户列表")
            .WithParameter("unit", "单位编号：只列该单位的用户")
            .WithParameter("q", "关键词：用户名、姓名或执法证号中包含的文字")
            .WithParameter("page", "页码，从 1 开始")
            .WithParameter("pageSize", "每页条数（默认 100）");
        users.MapPatch("/{username}", async (string username, AccountDirectory.UserChange change, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.ChangeAsync(actor.Scope, username, change, ct)).AsOk())
            .WithSummary("修改用户（姓名、单位、执法证号、角色等）");
        users.MapPost("/{username}/disable", async (string username, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.SetDisabledAsync(actor.Scope, username, true, ct)).AsNoContent())
            .WithSummary("停用用户")
            .WithDescription("停用后该用户的所有登录立即失效。");
        users.MapPost("/{username}/enable", async (string username, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.SetDisabledAsync(actor.Scope, username, false, ct)).AsNoContent())
            .WithSummary("启用用户");
        users.MapPost("/{username}/password", async (string username, PasswordReset reset, CurrentUser actor, AccountDirectory directory, CancellationToken ct) =>
            (await directory.ResetPasswordAsync(actor.Scope, username, reset.Password, ct)).AsNoContent())
            .WithSummary("重置用户密码（系统管理员）")
            .WithDescription("重置后该用户的所有登录失效，首次登录须修改密码。");
        return users;
    }
}
