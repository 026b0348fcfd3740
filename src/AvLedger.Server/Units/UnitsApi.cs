using AvLedger.Core.Accounts;
using AvLedger.Core.Units;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Units;

/// <summary>HTTP face of <see cref="UnitTree"/>.</summary>
public static class UnitsApi
{
    /// <summary>A change to a unit: its name, and its 文号代字 (ShortName; blank clears it).</summary>
    public sealed record UnitChange(string? Name, string? ShortName = null);
    public sealed record Created(string Id);

    public static RouteGroupBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        var units = app.MapGroup("/api/v1/units").RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator))).WithParameter("code", "单位代码");
        units.MapPost("/", async (UnitTree.NewUnit u, CurrentUser user, UnitTree tree, CancellationToken ct) =>
            (await tree.AddAsync(user.Scope, u, ct)).AsCreated(unit => $"/api/v1/units/{unit.Code}", unit => new Created(unit.Id)))
            .WithSummary("新增单位（系统管理员）");
        units.MapGet("/", async (CurrentUser user, UnitTree tree, CancellationToken ct) => (await tree.ListAsync(user.Scope, ct)).AsOk()).WithSummary("单位列表（单位树）");
        units.MapPatch("/{code}", async (string code, UnitChange change, CurrentUser user, UnitTree tree, CancellationToken ct) =>
            (await tree.RenameAsync(user.Scope, code, change.Name, change.ShortName, ct)).AsNoContent())
            .WithSummary("修改单位名称或文号代字");
        units.MapPost("/{code}/disable", async (string code, CurrentUser user, UnitTree tree, CancellationToken ct) =>
            (await tree.DisableAsync(user.Scope, code, ct)).AsNoContent())
            .WithSummary("停用单位");
        return units;
    }
}
