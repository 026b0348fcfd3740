using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Ledger;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Ledger;

/// <summary>The transparency log as outsiders see it: checkpoint and key for anyone signed in;
/// leaves and consistency proofs for auditors; a record's inclusion proof for whoever may see it.</summary>
public static class LedgerApi
{
    public const int MaxLeavesPerRequest = 1000;

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

    public sealed record LeavesPage(long Start, IReadOnlyList<string> Leaves);
    public sealed record ConsistencyProof(long First, long Second, IReadOnlyList<string> Hashes);
    public sealed record InclusionProof(long LeafIndex, long TreeSize, string Leaf, IReadOnlyList<string> Hashes, string Checkpoint);

    static async Task<IResult> Checkpoint(LedgerCheckpoints checkpoints, CancellationToken ct) =>
        await checkpoints.LatestAsync(ct) is { } latest
            ? TypedResults.Text(latest.Note, "text/plain; charset=utf-8")
            : Problems.Of(503, "ledger-starting", "账本正在启动", "Ledger starting", "请稍后重试。", "Try again shortly.");

    static async Task<IResult> Leaves(AvLedgerDb db, CancellationToken ct, long start = 0, long? end = null)
    {
        var size = await LedgerSequencer.TreeSizeAsync(db, ct);
        var stop = end ?? Math.Min(size, start + MaxLeavesPerRequest);
        if (start < 0 || stop < start || stop > size)
            return Problems.Of(400, "range-invalid", "范围无效", "Invalid range", $"须满足 0 ≤ start ≤ end ≤ {size}。", $"Need 0 ≤ start ≤ end ≤ {size}.");
        stop = Math.Min(stop, start + MaxLeavesPerRequest);
        var leaves = await db.LedgerLeaves.AsNoTracking().Where(l => l.Index >= start && l.Index < stop).OrderBy(l => l.Index).Select(l => l.Leaf).ToListAsync(ct);
        return TypedResults.Ok(new LeavesPage(start, leaves.Select(Convert.ToBase64String).ToList()));
    }

    static async Task<IResult> Consistency(AvLedgerDb db, long first, long second, CancellationToken ct)
    {
        var size = await LedgerSequencer.TreeSizeAsync(db, ct);
        // RFC 9162 defines no consistency proof from the empty tree: everything extends it.
        if (first < 1 || second < first || second > size)
            return Problems.Of(400, "range-invalid", "范围无效", "Invalid range", $"须满足 1 ≤ first ≤ second ≤ {size}。", $"Need 1 ≤ first ≤ second ≤ {size}.");
        var proof = await LedgerProofs.ConsistencyAsync(db, first, second, ct);
        return TypedResults.Ok(new ConsistencyProof(first, second, proof.Select(Convert.ToBase64String).ToList()));
    }

    static async Task<IResult> Proof(string id, CurrentUser user, AvLedgerDb db, LedgerCheckpoints checkpoints, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var record = await db.Records.AsNoTracking().VisibleTo(user, clock.GetUtcNow()).Where(r => r.Id == id).Select(r => new { r.LedgerIndex }).SingleOrDefaultAsync(ct);
        if (record is null) return Problems.NotFound();
        var latest = await checkpoints.LatestAsync(ct);
        if (record.LedgerIndex is not { } index || latest is null || latest.TreeSize <= index)
        {
            http.Response.Headers.RetryAfter = "1";
            return Problems.Of(503, "not-yet-sequenced", "记录尚未写入账本", "Not yet in the ledger",
                "记录约一秒内写入账本，请稍后重试。", "Records enter the ledger within about a second; retry shortly.");
        }
        var leaf = await db.LedgerLeaves.AsNoTracking().Where(l => l.Index == index).Select(l => l.Leaf).SingleAsync(ct);
        var proof = await LedgerProofs.InclusionAsync(db, index, latest.TreeSize, ct);
        return TypedResults.Ok(new InclusionProof(index, latest.TreeSize, Convert.ToBase64String(leaf), proof.Select(Convert.ToBase64String).ToList(), latest.Note));
    }
}
