using AvLedger.Core.Data;
using AvLedger.Server.Ledger;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Hosting;

/// <summary>/healthz, for monitoring: the database answers and the ledger agrees with what it signed.</summary>
public static class Health
{
    /// <summary>What /healthz adds while <see cref="AvLedgerOptions.SingleAdministrator"/> is on.</summary>
    public const string SingleAdministratorWarning =
        "singleAdministrator: true\n" +
        "warning: 单一管理员模式：可查看他人记录的角色和涉密授权无须第二人确认即生效 / single-administrator mode: " +
        "roles reaching other people's records and state-secret clearance take effect without a second person's confirmation (AvLedger:SingleAdministrator)";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (AvLedgerDb db, LedgerHealth ledger, IOptions<AvLedgerOptions> options, CancellationToken ct) =>
        {
            if (!await db.Database.CanConnectAsync(ct)) return Results.StatusCode(503);
            // A critical alarm: the stored history disagrees with what this log signed.
            // Nothing is signed until an operator restores a database that agrees (docs/operations: ledger alarm).
            if (ledger.Problems.Count > 0)
            {
                var withheld = ledger.SizeNotSigned is { } size
                    ? [$"no checkpoint is signed while this stands; the tree now holds {size} leaves"] : Array.Empty<string>();
                string[] lines = [.. ledger.Problems, .. withheld];
                return Problems.From(new Core.Refusals.Refusal(503, "ledger-damaged", null, new Core.Refusals.ListedItems(lines)));
            }
            // Healthy, but monitoring and auditors should see that one person alone grants reaching roles.
            return Results.Text(options.Value.SingleAdministrator ? "ok\n" + SingleAdministratorWarning : "ok");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
