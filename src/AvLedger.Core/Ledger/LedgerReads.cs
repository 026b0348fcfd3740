using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Ledger;

/// <summary>The transparency log as outsiders see it: the checkpoint for anyone signed in; leaves and
/// consistency proofs for auditors; a record's inclusion proof for whoever may see the record.</summary>
public sealed class LedgerReads(AvLedgerDb db, LedgerCheckpoints checkpoints)
{
    public const int MaxLeavesPerRequest = 1000;

    public sealed record LeavesPage(long Start, IReadOnlyList<string> Leaves);
    public sealed record ConsistencyProof(long First, long Second, IReadOnlyList<string> Hashes);
    public sealed record InclusionProof(long LeafIndex, long TreeSize, string Leaf, IReadOnlyList<string> Hashes, string Checkpoint);
    /// <summary>Any leaf's inclusion proof (base64 leaf, leaf hash and proof hashes) against the latest signed checkpoint, with
    /// its kind and the audit event it ledgers, if any.</summary>
    public sealed record LeafProof(long LeafIndex, string Kind, string? AuditEventId, string Leaf, string LeafHash, long TreeSize, IReadOnlyList<string> Hashes, string Checkpoint);

    public static Refusal Starting { get; } = new(503, "ledger-starting");
    public static Refusal NotYetSequenced { get; } = new(503, "not-yet-sequenced") { RetryAfter = TimeSpan.FromSeconds(1) };

    /// <summary>The latest signed checkpoint's note.</summary>
    public async Task<Outcome<string>> CheckpointAsync(CancellationToken ct) =>
        await checkpoints.LatestAsync(ct) is { } latest ? latest.Note : Starting;

    /// <summary>Leaves [start, end), at most <see cref="MaxLeavesPerRequest"/> of them, base64.</summary>
    public async Task<Outcome<LeavesPage>> LeavesAsync(Scope actor, long start, long? end, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.Auditor)) return Refusal.Forbidden;
        var size = await LedgerSequencer.TreeSizeAsync(db, ct);
        var stop = end ?? Math.Min(size, start + MaxLeavesPerRequest);
        if (start < 0 || stop < start || stop > size) return new Refusal(400, "range-invalid", "leaves", size);
        stop = Math.Min(stop, start + MaxLeavesPerRequest);
        var leaves = await db.LedgerLeaves.AsNoTracking().Where(l => l.Index >= start && l.Index < stop).OrderBy(l => l.Index).Select(l => l.Leaf).ToListAsync(ct);
        return new LeavesPage(start, leaves.Select(Convert.ToBase64String).ToList());
    }

    public async Task<Outcome<ConsistencyProof>> ConsistencyAsync(Scope actor, long first, long second, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.Auditor)) return Refusal.Forbidden;
        var size = await LedgerSequencer.TreeSizeAsync(db, ct);
        // RFC 9162 defines no consistency proof from the empty tree: everything extends it.
        if (first < 1 || second < first || second > size) return new Refusal(400, "range-invalid", "consistency", size);
        var proof = await LedgerProofs.ConsistencyAsync(db, first, second, ct);
        return new ConsistencyProof(first, second, proof.Select(Convert.ToBase64String).ToList());
    }

    /// <summary>Any leaf's inclusion proof against the latest checkpoint, for auditors (an audit row's leaf, an access leaf
    /// that names no record).</summary>
    public async Task<Outcome<LeafProof>> LeafProofAsync(Scope actor, long index, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.Auditor)) return Refusal.Forbidden;
        var leaf = await db.LedgerLeaves.AsNoTracking().Where(l => l.Index == index).Select(l => new { l.Kind, l.Leaf, l.Hash, l.AuditEventId }).SingleOrDefaultAsync(ct);
        if (leaf is null) return Refusal.NotFound;
        var latest = await checkpoints.LatestAsync(ct);
        if (latest is null || latest.TreeSize <= index) return NotYetSequenced;
        var proof = await LedgerProofs.InclusionAsync(db, index, latest.TreeSize, ct);
        return new LeafProof(index, leaf.Kind, leaf.AuditEventId, Convert.ToBase64String(leaf.Leaf), Convert.ToBase64String(leaf.Hash), latest.TreeSize,
            proof.Select(Convert.ToBase64String).ToList(), latest.Note);
    }

    /// <summary>A record's inclusion proof against the latest checkpoint, for whoever may know of the record.</summary>
    public async Task<Outcome<InclusionProof>> ProofAsync(Scope actor, string recordId, CancellationToken ct)
    {
        var record = await actor.Records(db.Records.AsNoTracking()).Where(r => r.Id == recordId).Select(r => new { r.LedgerIndex }).SingleOrDefaultAsync(ct);
        if (record is null) return Refusal.NotFound;
        var latest = await checkpoints.LatestAsync(ct);
        if (record.LedgerIndex is not { } index || latest is null || latest.TreeSize <= index) return NotYetSequenced;
        var leaf = await db.LedgerLeaves.AsNoTracking().Where(l => l.Index == index).Select(l => l.Leaf).SingleAsync(ct);
        var proof = await LedgerProofs.InclusionAsync(db, index, latest.TreeSize, ct);
        return new InclusionProof(index, latest.TreeSize, Convert.ToBase64String(leaf), proof.Select(Convert.ToBase64String).ToList(), latest.Note);
    }
}
