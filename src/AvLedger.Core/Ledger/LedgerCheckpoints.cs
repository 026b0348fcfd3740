using AvLedger.Core.Data;
using AvLedger.Ledger;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Ledger;

/// <summary>A checkpoint signed, or the reason none was: the database's tree does not extend what this
/// log signed before (a fork), which no signature may paper over.</summary>
public sealed record Publication(LedgerCheckpoint? Checkpoint, string? Disagreement);

/// <summary>Signs and keeps C2SP tlog-checkpoints of the tree, and checks the stored tree against
/// the last ones it signed: the latest in the database and the latest kept outside it.</summary>
public sealed class LedgerCheckpoints(AvLedgerDb db, NoteSigner signer, ISignedCheckpointLog outside, TimeProvider clock)
{
    public string Origin => signer.Name;

    /// <summary>Signs the tree at <paramref name="treeSize"/> only after proving it consistent (RFC 9162
    /// consistency proof from the stored tree) with the last checkpoint kept outside the database; the
    /// new one is kept there, flushed, before it is published.</summary>
    public async Task<Publication> PublishAsync(long treeSize, CancellationToken ct)
    {
        byte[] root;
        try
        {
            root = await LedgerProofs.RootAsync(db, treeSize, ct);
            if (await DisagreementAsync(treeSize, root, ct) is { } disagreement) return new(null, disagreement);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("ledger node", StringComparison.Ordinal))
        {
            return new(null, $"size {treeSize} was not signed: {e.Message}");
        }
        var existing = await db.LedgerCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.TreeSize == treeSize, ct);
        if (existing is not null)
        {
            KeepOutside(existing.Note, treeSize);
            return new(existing, null);
        }
        var checkpoint = new LedgerCheckpoint
        {
            TreeSize = treeSize,
            Note = signer.Sign(new Checkpoint(Origin, treeSize, root).ToBody()),
            PublishedAt = clock.GetUtcNow(),
        };
        KeepOutside(checkpoint.Note, treeSize);
        db.LedgerCheckpoints.Add(checkpoint);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node published the same size first; theirs is as good (the signature is deterministic).
            db.ChangeTracker.Clear();
            return new(await db.LedgerCheckpoints.AsNoTracking().SingleAsync(c => c.TreeSize == treeSize, ct), null);
        }
        return new(checkpoint, null);
    }

    void KeepOutside(string note, long treeSize)
    {
        if (LatestOutside() is not { } kept || kept.TreeSize < treeSize) outside.Append(note);
    }

    /// <summary>The last checkpoint kept outside the database, if it carries this log's signature.</summary>
    Checkpoint? LatestOutside() =>
        outside.Latest() is { } note && new NoteVerifier(signer.VerifierKey).TryVerify(note, out var body) && Checkpoint.TryParse(body, out var c) ? c : null;

    async Task<string?> DisagreementAsync(long treeSize, byte[] root, CancellationToken ct)
    {
        if (outside.Latest() is null) return null;
        if (LatestOutside() is not { } kept)
            return $"size {treeSize} was not signed: the last checkpoint in the state directory does not carry this log's signature";
        if (kept.TreeSize > treeSize)
            return $"size {treeSize} was not signed: this log already signed size {kept.TreeSize}, and the database's tree is smaller";
        if (kept.TreeSize == treeSize)
            return root.AsSpan().SequenceEqual(kept.RootHash) ? null
                : $"size {treeSize} was not signed: its root contradicts the checkpoint this log signed at the same size";
        // The empty tree is a prefix of every tree.
        if (kept.TreeSize == 0) return null;
        var proof = await LedgerProofs.ConsistencyAsync(db, kept.TreeSize, treeSize, ct);
        return MerkleVerifier.VerifyConsistency(kept.TreeSize, treeSize, proof, kept.RootHash, root) ? null
            : $"size {treeSize} was not signed: the database's tree does not extend the checkpoint this log signed at size {kept.TreeSize} (a fork)";
    }

    public Task<LedgerCheckpoint?> LatestAsync(CancellationToken ct) =>
        db.LedgerCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct);

    /// <summary>Recomputes the tree from the stored leaf bytes and compares it with the latest signed
    /// checkpoint in the database and with the latest kept outside it. Returns the problems found; none
    /// means the stored history is intact. On the first start with a state directory the database's
    /// latest checkpoint, once it checks out, becomes the first one kept outside.</summary>
    public async Task<IReadOnlyList<string>> CheckStoredTreeAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var verifier = new NoteVerifier(signer.VerifierKey);
        var signedHere = new List<(string Where, Checkpoint Checkpoint)>();
        var latest = await LatestAsync(ct);
        if (latest is not null)
        {
            if (!verifier.TryVerify(latest.Note, out var body) || !Checkpoint.TryParse(body, out var signed) || signed is null)
                problems.Add($"the stored checkpoint for size {latest.TreeSize} does not carry a valid signature of this log");
            else signedHere.Add(("the database", signed));
        }
        var keptNote = outside.Latest();
        var kept = LatestOutside();
        if (keptNote is not null && kept is null)
            problems.Add("the last checkpoint in the state directory does not carry a valid signature of this log");
        else if (kept is not null) signedHere.Add(("the state directory", kept));
        if (signedHere.Count == 0) return problems;

        var upTo = signedHere.Max(s => s.Checkpoint.TreeSize);
        var hashes = new List<byte[]>();
        long expected = 0;
        await foreach (var leaf in db.LedgerLeaves.AsNoTracking().Where(l => l.Index < upTo).OrderBy(l => l.Index).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (leaf.Index != expected) problems.Add($"leaf {expected} is missing");
            expected = leaf.Index + 1;
            var hash = MerkleHash.Leaf(leaf.Leaf);
            if (!hash.AsSpan().SequenceEqual(leaf.Hash)) problems.Add($"leaf {leaf.Index} bytes do not match its stored hash");
            hashes.Add(hash);
        }
        foreach (var (where, signed) in signedHere)
        {
            if (expected < signed.TreeSize)
                problems.Add($"the database holds {expected} leaves but this log signed size {signed.TreeSize} (checkpoint kept in {where})");
            else if (!MerkleHash.Root(hashes.Take((int)signed.TreeSize).ToList()).AsSpan().SequenceEqual(signed.RootHash))
                problems.Add($"the leaves do not hash to the root signed at size {signed.TreeSize} (checkpoint kept in {where})");
        }
        if (problems.Count == 0 && keptNote is null && latest is not null) outside.Append(latest.Note);
        return problems;
    }
}
