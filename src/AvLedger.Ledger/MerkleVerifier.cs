namespace AvLedger.Ledger;

/// <summary>RFC 9162 §2.1.3.2 and §2.1.4.2 proof verification. Proofs come from outside, so every
/// malformed input is an answer of <c>false</c>, never an exception.</summary>
public static class MerkleVerifier
{
    /// <summary>True when <paramref name="proof"/> shows leaf <paramref name="leafIndex"/> with hash
    /// <paramref name="leafHash"/> is in the tree of <paramref name="treeSize"/> leaves with head <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(byte[] leafHash, long leafIndex, long treeSize, IReadOnlyList<byte[]> proof, byte[] root) =>
        IsHash(root) && RootFromInclusionProof(leafHash, leafIndex, treeSize, proof) is { } computed && computed.AsSpan().SequenceEqual(root);

    /// <summary>The tree head that <paramref name="proof"/> implies for the leaf, or null when the proof
    /// is malformed for that index and size.</summary>
    public static byte[]? RootFromInclusionProof(byte[] leafHash, long leafIndex, long treeSize, IReadOnlyList<byte[]> proof)
    {
        if (!IsHash(leafHash) || proof is null || leafIndex < 0 || leafIndex >= treeSize) return null;
        long fn = leafIndex, sn = treeSize - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (!IsHash(p) || sn == 0) return null;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                // The rightmost node of an incomplete level has no sibling there; skip up to where it does.
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    /// <summary>True when <paramref name="proof"/> shows the tree of <paramref name="size1"/> leaves with head
    /// <paramref name="root1"/> is a prefix of the tree of <paramref name="size2"/> leaves with head
    /// <paramref name="root2"/>. Equal sizes need equal heads and an empty proof; a proof from the empty tree
    /// proves nothing and is refused.</summary>
    public static bool VerifyConsistency(long size1, long size2, IReadOnlyList<byte[]> proof, byte[] root1, byte[] root2)
    {
        if (proof is null || root1 is null || root2 is null || size1 <= 0 || size2 < size1) return false;
        if (size1 == size2) return proof.Count == 0 && root1.AsSpan().SequenceEqual(root2);
        if (proof.Count == 0 || !IsHash(root1) || !IsHash(root2)) return false;
        foreach (var p in proof)
            if (!IsHash(p)) return false;

        // When the old tree is a complete subtree, its head is the first node of the path and the proof omits it.
        List<byte[]> path = (size1 & (size1 - 1)) == 0 ? [root1, .. proof] : [.. proof];
        long fn = size1 - 1, sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path[0], sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(root1) && sr.AsSpan().SequenceEqual(root2);
    }

    static bool IsHash(byte[]? hash) => hash is { Length: MerkleHash.Size };
}
