using System.Numerics;
using System.Security.Cryptography;

namespace AvLedger.Ledger;

/// <summary>Where the log keeps its complete subtree hashes. Node <c>(level, index)</c> covers leaves
/// <c>[index·2^level, (index+1)·2^level)</c>; level 0 holds the leaf hashes.</summary>
public interface INodeSource
{
    /// <summary>Hash of the complete subtree (level, index); the caller guarantees it exists.</summary>
    ValueTask<byte[]> GetNodeAsync(int level, long index, CancellationToken ct);
}

/// <summary>RFC 9162 §2.1 tree heads and proofs computed from stored complete subtrees, so that each
/// answer costs O(log n) node reads however large the log grows.</summary>
public static class MerkleTree
{
    /// <summary>MTH(D[treeSize]); the empty tree hashes to SHA-256 of nothing.</summary>
    public static ValueTask<byte[]> RootAsync(INodeSource nodes, long treeSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        return treeSize == 0 ? ValueTask.FromResult(SHA256.HashData([])) : RangeHashAsync(nodes, 0, treeSize, ct);
    }

    /// <summary>PATH(leafIndex, D[treeSize]) of RFC 9162 §2.1.3.1, leaf-side sibling first.</summary>
    public static async ValueTask<byte[][]> InclusionProofAsync(INodeSource nodes, long leafIndex, long treeSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, treeSize);

        // Walk from the root down to the leaf; the siblings met on the way are the proof, reversed.
        var path = new List<byte[]>();
        long lo = 0, hi = treeSize;
        while (hi - lo > 1)
        {
            var k = LargestPowerOfTwoBelow(hi - lo);
            if (leafIndex < lo + k)
            {
                path.Add(await RangeHashAsync(nodes, lo + k, hi, ct));
                hi = lo + k;
            }
            else
            {
                path.Add(await RangeHashAsync(nodes, lo, lo + k, ct));
                lo += k;
            }
        }
        path.Reverse();
        return [.. path];
    }

    /// <summary>PROOF(size1, D[size2]) of RFC 9162 §2.1.4.1 for 0 &lt; size1 ≤ size2 (empty when the sizes
    /// are equal). A proof from the empty tree proves nothing, so size1 = 0 is refused.</summary>
    public static async ValueTask<byte[][]> ConsistencyProofAsync(INodeSource nodes, long size1, long size2, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, size2);

        // SUBPROOF unrolled: m counts the old tree's leaves inside [lo, hi); `complete` is the b flag
        // (false once the old tree's head is no longer a node the verifier already knows).
        var proof = new List<byte[]>();
        long lo = 0, hi = size2, m = size1;
        var complete = true;
        while (m != hi - lo)
        {
            var k = LargestPowerOfTwoBelow(hi - lo);
            if (m <= k)
            {
                proof.Add(await RangeHashAsync(nodes, lo + k, hi, ct));
                hi = lo + k;
            }
            else
            {
                proof.Add(await RangeHashAsync(nodes, lo, lo + k, ct));
                lo += k;
                m -= k;
                complete = false;
            }
        }
        if (!complete) proof.Add(await RangeHashAsync(nodes, lo, hi, ct));
        proof.Reverse();
        return [.. proof];
    }

    /// <summary>The complete-subtree nodes that appending <paramref name="leafHash"/> as leaf number
    /// <paramref name="index"/> creates, (0, index) first, so the server can store them: index 3 creates
    /// (0,3), (1,1), (2,0). <paramref name="existingNode"/> returns the already stored left siblings.</summary>
    public static IReadOnlyList<(int Level, long Index, byte[] Hash)> NodesCreatedByAppend(long index, byte[] leafHash, Func<int, long, byte[]> existingNode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(leafHash);
        ArgumentNullException.ThrowIfNull(existingNode);
        if (leafHash.Length != MerkleHash.Size) throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes.", nameof(leafHash));

        // A node completes its parent exactly when it is a right child (odd index).
        var created = new List<(int, long, byte[])> { (0, index, leafHash) };
        var (level, i, hash) = (0, index, leafHash);
        while ((i & 1) == 1)
        {
            hash = MerkleHash.Node(existingNode(level, i - 1), hash);
            level++;
            i >>= 1;
            created.Add((level, i, hash));
        }
        return created;
    }

    /// <summary>MTH(D[start:end]) for a range whose start is aligned to its largest power-of-two part,
    /// which every range in RFC 9162's recursion is: it splits into complete subtrees of decreasing size
    /// (one per set bit of its length), folded from the right.</summary>
    static async ValueTask<byte[]> RangeHashAsync(INodeSource nodes, long start, long end, CancellationToken ct)
    {
        var parts = new List<byte[]>(BitOperations.PopCount((ulong)(end - start)));
        for (var at = start; at < end;)
        {
            var level = BitOperations.Log2((ulong)(end - at));
            parts.Add(await nodes.GetNodeAsync(level, at >> level, ct));
            at += 1L << level;
        }
        var hash = parts[^1];
        for (var p = parts.Count - 2; p >= 0; p--) hash = MerkleHash.Node(parts[p], hash);
        return hash;
    }

    static long LargestPowerOfTwoBelow(long n) => 1L << BitOperations.Log2((ulong)(n - 1));
}
