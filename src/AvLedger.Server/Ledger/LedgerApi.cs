using AvLedger.Core.Accounts;
using AvLedger.Core.Ledger;
using AvLedger.Ledger;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Ledger;

/// <summary>HTTP face of <see cref="LedgerReads"/>: checkpoint and key for anyone signed in;
/// leaves and consistency proofs for auditors; a record's inclusion proof for whoever may see it.</summary>
public static class LedgerApi
{
    public static RouteGroupBuilder MapLedger(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/api/v1/ledger").RequireAuthorization();
        ledger.MapGet("/checkpoint", Checkpoint);
        ledger.MapGet("/key", (NoteSigner signer) => TypedResults.Text(signer.VerifierKey + "\n", "text/plain"));
        var auditors = ledger.MapGroup("").RequireAuthorization(p => p.RequireRole(nameof(Role.Auditor)));
        auditors.MapGet("/leaves", Leaves);
        auditors.MapGet("/consistency", Consistency);
        app.MapGet("/api/v1/records/{id}/proof", Proof).RequireAuthorization();
        return ledger;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Checkpoint(LedgerReads ledger, CancellationToken ct)
    {
        var note = await ledger.CheckpointAsync(ct);
        return note.Refusal is { } refused ? Problems.From(refused) : TypedResults.Text(note.Value!, "text/plain; charset=utf-8");
    }

    static async Task<Results<Ok<LedgerReads.LeavesPage>, ProblemHttpResult>> Leaves(CurrentUser user, LedgerReads ledger, CancellationToken ct, long start = 0, long? end = null) =>
        (await ledger.LeavesAsync(user.Scope, start, end, ct)).AsOk();

    static async Task<Results<Ok<LedgerReads.ConsistencyProof>, ProblemHttpResult>> Consistency(CurrentUser user, LedgerReads ledger, long first, long second, CancellationToken ct) =>
        (await ledger.ConsistencyAsync(user.Scope, first, second, ct)).AsOk();

    static async Task<Results<Ok<LedgerReads.InclusionProof>, ProblemHttpResult>> Proof(string id, CurrentUser user, LedgerReads ledger, HttpContext http, CancellationToken ct)
    {
        var proof = await ledger.ProofAsync(user.Scope, id, ct);
        return proof.Refusal is { } refused ? Problems.From(refused, http.Response) : TypedResults.Ok(proof.Value!);
    }
}
