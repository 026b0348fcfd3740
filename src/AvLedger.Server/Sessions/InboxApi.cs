using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;

namespace AvLedger.Server.Sessions;

/// <summary>HTTP face of <see cref="OfficerInbox"/>.</summary>
public static class InboxApi
{
    public static void MapInbox(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/inbox", async (CurrentUser user, OfficerInbox inbox, CancellationToken ct) =>
            TypedResults.Ok(await inbox.ForAsync(user.Scope, ct))).RequireAuthorization()
            .WithSummary("本人待办（待补充事项）");
}
