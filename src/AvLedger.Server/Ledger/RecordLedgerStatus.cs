using System.Text.Json;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Ledger;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Ledger;

/// <summary>What the record page shows about a record's place in the ledger: its leaf, the latest
/// signed checkpoint, and whether the inclusion proof, the signature and the leaf's hash all hold —
/// checked the way an outside verifier would, from the stored bytes up.</summary>
public sealed record RecordLedgerStatus(long? LeafIndex, long? TreeSize, DateTimeOffset? CheckpointAt, bool Verified, string? Problem)
{
    /// <summary>The check for one record, with the services it needs.</summary>
    public sealed class Check(AvLedgerDb db, LedgerCheckpoints checkpoints, NoteSigner signer)
    {
        public Task<RecordLedgerStatus> OfAsync(Core.Records.Record record, CancellationToken ct) =>
            CheckAsync(db, checkpoints, signer, record.Id, record.Sha256, record.LedgerIndex, ct);
    }

    public static async Task<RecordLedgerStatus> CheckAsync(AvLedgerDb db, LedgerCheckpoints checkpoints, NoteSigner signer,
        string recordId, string sha256, long? ledgerIndex, CancellationToken ct)
    {
        var latest = await checkpoints.LatestAsync(ct);
        if (ledgerIndex is not { } index || latest is null || latest.TreeSize <= index)
            return new(ledgerIndex, latest?.TreeSize, latest?.PublishedAt, false, "pending");
        var leaf = await db.LedgerLeaves.AsNoTracking().Where(l => l.Index == index).Select(l => l.Leaf).SingleAsync(ct);
        var proof = await LedgerProofs.InclusionAsync(db, index, latest.TreeSize, ct);
        var status = new RecordLedgerStatus(index, latest.TreeSize, latest.PublishedAt, false, null);
        if (!new NoteVerifier(signer.VerifierKey).TryVerify(latest.Note, out var body) || !Checkpoint.TryParse(body, out var checkpoint) || checkpoint is null)
            return status with { Problem = "signature" };
        if (!LeafDescribes(leaf, recordId, sha256)) return status with { Problem = "leaf" };
        if (!MerkleVerifier.VerifyInclusion(MerkleHash.Leaf(leaf), index, checkpoint.TreeSize, proof, checkpoint.RootHash))
            return status with { Problem = "proof" };
        return status with { Verified = true };
    }

    static bool LeafDescribes(byte[] leaf, string recordId, string sha256)
    {
        using var doc = JsonDocument.Parse(leaf);
        var root = doc.RootElement;
        return root.TryGetProperty("recordId", out var id) && id.GetString() == recordId
            && root.TryGetProperty("sha256", out var hash) && hash.GetString() == sha256;
    }
}
