using AvLedger.Ledger;

namespace AvLedger.Core.Ledger;

/// <summary>A leaf proof checked the way an outside verifier would, from the bytes up: the checkpoint's signature, the
/// leaf's hash from its bytes, and the root recomputed from that hash and the proof (RFC 9162) against the signed root.</summary>
public sealed record LeafVerification(bool SignatureValid, bool LeafHashMatches, byte[]? RecomputedRoot, byte[]? SignedRoot)
{
    public bool RootMatches => RecomputedRoot is not null && SignedRoot is not null && RecomputedRoot.AsSpan().SequenceEqual(SignedRoot);

    public bool Verified => SignatureValid && LeafHashMatches && RootMatches;

    public static LeafVerification Of(LedgerReads.LeafProof proof, string verifierKey)
    {
        var signed = new NoteVerifier(verifierKey).TryVerify(proof.Checkpoint, out var body) && Checkpoint.TryParse(body, out var c) ? c : null;
        var leaf = Convert.FromBase64String(proof.Leaf);
        var leafHash = MerkleHash.Leaf(leaf);
        var root = MerkleVerifier.RootFromInclusionProof(leafHash, proof.LeafIndex, signed?.TreeSize ?? proof.TreeSize,
            [.. proof.Hashes.Select(Convert.FromBase64String)]);
        return new(signed is not null && signed.TreeSize == proof.TreeSize, leafHash.AsSpan().SequenceEqual(Convert.FromBase64String(proof.LeafHash)), root, signed?.RootHash);
    }
}
