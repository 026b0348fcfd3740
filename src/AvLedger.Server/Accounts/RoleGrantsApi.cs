using AvLedger.Core.Accounts;
using AvLedger.Core.Refusals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Accounts;

/// <summary>HTTP face of <see cref="RoleGrantReview"/>.</summary>
public static class RoleGrantsApi
{
    public static void MapRoleGrants(this IEndpointRouteBuilder app)
    {
        var grants = app.MapGroup("/api/v1/role-grants")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.DepartmentHead)))
            .WithParameter("id", "角色授予编号");
        grants.MapGet("/", async Task<Results<Ok<List<RoleGrantReview.GrantView>>, ProblemHttpResult>> (CurrentUser viewer, RoleGrantReview review, CancellationToken ct, string? state = "pending") =>
        {
            RoleGrantState? wanted = null;
            if (!string.IsNullOrEmpty(state) && state != "all")
            {
                if (!Enum.TryParse<RoleGrantState>(state, ignoreCase: true, out var s) || !Enum.IsDefined(s)) return Problems.From(new Refusal(400, "invalid-state"));
                wanted = s;
            }
            return TypedResults.Ok(await review.ListAsync(viewer.Scope, wanted, ct));
        })
            .WithSummary("角色授予列表（须第二人确认）")
            .WithParameter("state", "状态：pending（待确认，默认）、confirmed、refused、withdrawn，或 all");
        grants.MapPost("/{id}/confirm", async (string id, CurrentUser decider, RoleGrantReview review, CancellationToken ct) =>
            (await review.DecideAsync(decider.Scope, id, true, ct)).AsNoContent())
            .WithSummary("确认角色授予（第二人）");
        grants.MapPost("/{id}/refuse", async (string id, CurrentUser decider, RoleGrantReview review, CancellationToken ct) =>
            (await review.DecideAsync(decider.Scope, id, false, ct)).AsNoContent())
            .WithSummary("拒绝角色授予");
    }
}
