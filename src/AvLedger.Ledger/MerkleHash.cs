using System.Security.Cryptography;

namespace AvLedger.Ledger;

/// <summary>RFC 9162 §2.1 hashing: domain-separated leaf and node hashes, and the tree head of any
/// list of leaves. The log itself (persistence, proofs, checkpoints) builds on this.</summary>
public static class MerkleHash
{
    public const int Size = 32;

    public static byte[] Leaf(ReadOnlySpan<byte> leaf)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(leaf);
        return sha.GetHashAndReset();
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x01]);
        sha.AppendData(left);
        sha.AppendData(right);
        return sha.GetHashAndReset();
    }

    /// <summary>MTH(D[n]): the empty tree hashes to SHA-256 of nothing; otherwise split at the
    /// largest power of two below n.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        return leafHashes.Count == 0 ? SHA256.HashData([]) : Subtree(leafHashes, 0, leafHashes.Count);
    }

    static byte[] Subtree(IReadOnlyList<byte[]> hashes, int start, int count)
    {
        if (count == 1) return hashes[start];
        var split = 1;
        while (split * 2 < count) split *= 2;
        return Node(Subtree(hashes, start, split), Subtree(hashes, start + split, count - split));
    }
}
