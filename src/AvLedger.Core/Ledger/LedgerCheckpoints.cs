using AvLedger.Core.Data;
using AvLedger.Ledger;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Ledger;

/// <summary>Signs and keeps C2SP tlog-checkpoints of the tree, and checks the stored tree against
/// the last one it signed.</summary>
public sealed class LedgerCheckpoints(AvLedgerDb db, NoteSigner signer, TimeProvider clock)
{
    public string Origin => signer.Name;

    public async Task<LedgerCheckpoint> PublishAsync(long treeSize, CancellationToken ct)
    {
        var existing = await db.LedgerCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.TreeSize == treeSize, ct);
        if (existing is not null) return existing;
        var root = await LedgerProofs.RootAsync(db, treeSize, ct);
        var checkpoint = new LedgerCheckpoint
        {
            TreeSize = treeSize,
            Note = signer.Sign(new Checkpoint(Origin, treeSize, root).ToBody()),
            PublishedAt = clock.GetUtcNow(),
        };
        db.LedgerCheckpoints.Add(checkpoint);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node published the same size first; theirs is as good.
            db.ChangeTracker.Clear();
            return await db.LedgerCheckpoints.AsNoTracking().SingleAsync(c => c.TreeSize == treeSize, ct);
        }
        return checkpoint;
    }

    public Task<LedgerCheckpoint?> LatestAsync(CancellationToken ct) =>
        db.LedgerCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct);

    /// <summary>Recomputes the tree from the stored leaf bytes and compares it with the latest
    /// signed checkpoint. Returns the problems found; none means the stored history is intact.</summary>
    public async Task<IReadOnlyList<string>> CheckStoredTreeAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var latest = await LatestAsync(ct);
        if (latest is null) return problems;
        var verifier = new NoteVerifier(signer.VerifierKey);
        if (!verifier.TryVerify(latest.Note, out var body) || !Checkpoint.TryParse(body, out var signed) || signed is null)
        {
            problems.Add($"the stored checkpoint for size {latest.TreeSize} does not carry a valid signature of this log");
            return problems;
        }
        var hashes = new List<byte[]>();
        long expected = 0;
        await foreach (var leaf in db.LedgerLeaves.AsNoTracking().Where(l => l.Index < signed.TreeSize).OrderBy(l => l.Index).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (leaf.Index != expected) problems.Add($"leaf {expected} is missing");
            expected = leaf.Index + 1;
            var hash = MerkleHash.Leaf(leaf.Leaf);
            if (!hash.AsSpan().SequenceEqual(leaf.Hash)) problems.Add($"leaf {leaf.Index} bytes do not match its stored hash");
            hashes.Add(hash);
        }
        if (expected < signed.TreeSize) problems.Add($"the log holds {expected} leaves but checkpoint {signed.TreeSize} was signed");
        else if (!MerkleHash.Root(hashes).AsSpan().SequenceEqual(signed.RootHash))
            problems.Add($"the leaves do not hash to the root signed at size {signed.TreeSize}");
        return problems;
    }
}
