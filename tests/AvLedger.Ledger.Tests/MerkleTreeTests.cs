using System.Numerics;
using System.Security.Cryptography;
using AvLedger.Ledger;

namespace AvLedger.Ledger.Tests;

/// <summary>Proofs from stored complete subtrees are byte-for-byte the RFC 9162 proofs, verify, and cost
/// O(log n) node reads.</summary>
public class MerkleTreeTests
{
    const int MaxSize = 70;

    static readonly List<byte[]> Leaves = [.. Enumerable.Range(0, MaxSize).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i)))];

    static readonly Dictionary<(int, long), byte[]> Store = BuildStore();

    [Fact]
    public void Appending_leaf_3_creates_its_leaf_node_and_the_two_subtrees_it_completes()
    {
        var store = new Dictionary<(int, long), byte[]>();
        for (var i = 0; i < 3; i++)
            foreach (var (level, index, hash) in MerkleTree.NodesCreatedByAppend(i, Leaves[i], (l, x) => store[(l, x)]))
                store[(level, index)] = hash;

        var created = MerkleTree.NodesCreatedByAppend(3, Leaves[3], (l, x) => store[(l, x)]);

        Assert.Equal([(0, 3L), (1, 1L), (2, 0L)], created.Select(n => (n.Level, n.Index)));
        Assert.Equal(MerkleHash.Root(Leaves[..4]), created[^1].Hash);
    }

    [Fact]
    public void Appending_an_even_leaf_creates_only_its_leaf_node()
    {
        var created = MerkleTree.NodesCreatedByAppend(6, Leaves[6], (_, _) => throw new InvalidOperationException("no sibling needed"));
        Assert.Equal([(0, 6L)], created.Select(n => (n.Level, n.Index)));
    }

    [Fact]
    public async Task Roots_from_stored_nodes_equal_the_tree_head_of_the_leaves_for_every_size()
    {
        Assert.Equal(SHA256.HashData([]), await MerkleTree.RootAsync(new Nodes(0), 0, default));
        for (var n = 1; n <= MaxSize; n++)
            Assert.Equal(MerkleHash.Root(Leaves[..n]), await MerkleTree.RootAsync(new Nodes(n), n, default));
    }

    [Fact]
    public async Task Inclusion_proofs_are_the_rfc_paths_and_verify_for_every_size_and_index()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            var root = MerkleHash.Root(Leaves[..n]);
            for (var i = 0; i < n; i++)
            {
                var proof = await MerkleTree.InclusionProofAsync(new Nodes(n), i, n, default);
                Assert.Equal(Path(i, Leaves[..n]), proof);
                Assert.True(MerkleVerifier.VerifyInclusion(Leaves[i], i, n, proof, root), $"leaf {i} of {n}");
                Assert.Equal(root, MerkleVerifier.RootFromInclusionProof(Leaves[i], i, n, proof));
            }
        }
    }

    [Fact]
    public async Task Inclusion_proofs_fail_with_any_flipped_byte_or_a_wrong_index()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            var root = MerkleHash.Root(Leaves[..n]);
            for (var i = 0; i < n; i++)
            {
                var proof = await MerkleTree.InclusionProofAsync(new Nodes(n), i, n, default);
                foreach (var tampered in Tampered(proof))
                    Assert.False(MerkleVerifier.VerifyInclusion(Leaves[i], i, n, tampered, root));
                // Only the index is checked: a proof does not bind the tree size (the last, incomplete
                // subtree hashes like a complete one), the signed checkpoint does.
                for (var j = 0; j <= n; j++)
                    if (j != i) Assert.False(MerkleVerifier.VerifyInclusion(Leaves[i], j, n, proof, root), $"leaf {i} of {n} as {j}");
                Assert.False(MerkleVerifier.VerifyInclusion(Leaves[(i + 1) % MaxSize], i, n, proof, root));
            }
        }
    }

    [Fact]
    public async Task Consistency_proofs_are_the_rfc_proofs_and_verify_for_every_pair_of_sizes()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            var root2 = MerkleHash.Root(Leaves[..n]);
            for (var m = 1; m <= n; m++)
            {
                var root1 = MerkleHash.Root(Leaves[..m]);
                var proof = await MerkleTree.ConsistencyProofAsync(new Nodes(n), m, n, default);
                Assert.Equal(m == n ? [] : SubProof(m, Leaves[..n], true), proof);
                Assert.True(MerkleVerifier.VerifyConsistency(m, n, proof, root1, root2), $"{m} to {n}");
            }
        }
    }

    [Fact]
    public async Task Consistency_proofs_fail_with_any_flipped_byte_a_wrong_old_size_or_swapped_roots()
    {
        for (var n = 2; n <= MaxSize; n++)
        {
            var root2 = MerkleHash.Root(Leaves[..n]);
            for (var m = 1; m < n; m++)
            {
                var root1 = MerkleHash.Root(Leaves[..m]);
                var proof = await MerkleTree.ConsistencyProofAsync(new Nodes(n), m, n, default);
                foreach (var tampered in Tampered(proof))
                    Assert.False(MerkleVerifier.VerifyConsistency(m, n, tampered, root1, root2));
                // The new size is bound by the signed checkpoint, not by the proof (see the inclusion test).
                for (var other = 0; other <= n + 1; other++)
                    if (other != m) Assert.False(MerkleVerifier.VerifyConsistency(other, n, proof, root1, root2), $"{m} to {n} as {other}");
                Assert.False(MerkleVerifier.VerifyConsistency(m, n, proof, root2, root1));
                Assert.False(MerkleVerifier.VerifyConsistency(m, n, proof[..^1], root1, root2));
                Assert.False(MerkleVerifier.VerifyConsistency(m, n, [.. proof, root1], root1, root2));
            }
        }
    }

    [Fact]
    public void Verifiers_answer_false_to_malformed_input_instead_of_throwing()
    {
        var h = Leaves[0];
        Assert.False(MerkleVerifier.VerifyInclusion(h, -1, 1, [], h));
        Assert.False(MerkleVerifier.VerifyInclusion(h, 0, 0, [], h));
        Assert.False(MerkleVerifier.VerifyInclusion(h, 0, 1, null!, h));
        Assert.False(MerkleVerifier.VerifyInclusion(null!, 0, 1, [], h));
        Assert.False(MerkleVerifier.VerifyInclusion(h, 0, 1, [], null!));
        Assert.False(MerkleVerifier.VerifyInclusion(h, 0, 2, [null!], h));
        Assert.False(MerkleVerifier.VerifyInclusion(h, 0, 2, [new byte[31]], h));
        Assert.False(MerkleVerifier.VerifyInclusion(h, long.MaxValue - 1, long.MaxValue, [h], h));
        Assert.False(MerkleVerifier.VerifyConsistency(2, 1, [], h, h));
        Assert.False(MerkleVerifier.VerifyConsistency(-1, 1, [], h, h));
        Assert.False(MerkleVerifier.VerifyConsistency(1, 2, null!, h, h));
        Assert.False(MerkleVerifier.VerifyConsistency(1, 2, [null!], h, h));
        Assert.False(MerkleVerifier.VerifyConsistency(1, 2, [h], null!, h));
        Assert.False(MerkleVerifier.VerifyConsistency(3, 4, [h], h, h));
        Assert.False(MerkleVerifier.VerifyConsistency(1, long.MaxValue, [h, h], h, h));
    }

    [Fact]
    public async Task Proof_requests_outside_the_tree_are_refused()
    {
        var nodes = new Nodes(4);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.InclusionProofAsync(nodes, 4, 4, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.ConsistencyProofAsync(nodes, 0, 4, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.ConsistencyProofAsync(nodes, 3, 2, default));
    }

    [Theory]
    [InlineData(1_000_000)]
    [InlineData((1 << 20) - 1)]
    [InlineData(1 << 20)]
    public async Task A_proof_in_a_large_tree_reads_at_most_two_log_n_plus_two_nodes(long n)
    {
        var budget = 2 * Math.Log2(n) + 2;
        long[] points = [0, 1, 2, 3, n / 3, (n / 2) - 1, n / 2, 524_287, 524_288, 700_001, n - 2, n - 1];
        foreach (var p in points.Where(p => p < n))
        {
            var nodes = new CountingNodes(n);
            var proof = await MerkleTree.InclusionProofAsync(nodes, p, n, default);
            Assert.True(nodes.Calls <= budget, $"inclusion of {p}: {nodes.Calls} reads");
            Assert.True(proof.Length <= 21);

            if (p == 0) continue;
            nodes = new CountingNodes(n);
            await MerkleTree.ConsistencyProofAsync(nodes, p, n, default);
            Assert.True(nodes.Calls <= budget, $"consistency from {p}: {nodes.Calls} reads");
        }
        var rootNodes = new CountingNodes(n);
        await MerkleTree.RootAsync(rootNodes, n, default);
        Assert.Equal(BitOperations.PopCount((ulong)n), rootNodes.Calls);
    }

    static Dictionary<(int, long), byte[]> BuildStore()
    {
        var store = new Dictionary<(int, long), byte[]>();
        for (var i = 0; i < MaxSize; i++)
            foreach (var (level, index, hash) in MerkleTree.NodesCreatedByAppend(i, Leaves[i], (l, x) => store[(l, x)]))
                store.Add((level, index), hash);
        return store;
    }

    static IEnumerable<byte[][]> Tampered(byte[][] proof)
    {
        for (var e = 0; e < proof.Length; e++)
        {
            for (var b = 0; b < MerkleHash.Size; b++)
            {
                var copy = proof.Select(p => (byte[])p.Clone()).ToArray();
                copy[e][b] ^= 0x01;
                yield return copy;
            }
        }
    }

    // RFC 9162 §2.1.3.1 PATH(m, D[n]), written as the RFC does, over the leaf hashes.
    static List<byte[]> Path(int m, List<byte[]> d)
    {
        if (d.Count == 1) return [];
        var k = LargestPowerOfTwoBelow(d.Count);
        return m < k
            ? [.. Path(m, d[..k]), MerkleHash.Root(d[k..])]
            : [.. Path(m - k, d[k..]), MerkleHash.Root(d[..k])];
    }

    // RFC 9162 §2.1.4.1 SUBPROOF(m, D[n], b).
    static List<byte[]> SubProof(int m, List<byte[]> d, bool b)
    {
        if (m == d.Count) return b ? [] : [MerkleHash.Root(d)];
        var k = LargestPowerOfTwoBelow(d.Count);
        return m <= k
            ? [.. SubProof(m, d[..k], b), MerkleHash.Root(d[k..])]
            : [.. SubProof(m - k, d[k..], false), MerkleHash.Root(d[..k])];
    }

    static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    /// <summary>The stored nodes as a server sees them at tree size n: asking for a node that covers leaves
    /// beyond n is a bug in the caller.</summary>
    sealed class Nodes(long size) : INodeSource
    {
        public ValueTask<byte[]> GetNodeAsync(int level, long index, CancellationToken ct)
        {
            Assert.True((index + 1) << level <= size, $"node ({level},{index}) is not complete at size {size}");
            return ValueTask.FromResult(Store[(level, index)]);
        }
    }

    /// <summary>Counts reads; the values are arbitrary but fixed per node.</summary>
    sealed class CountingNodes(long size) : INodeSource
    {
        public int Calls { get; private set; }

        public ValueTask<byte[]> GetNodeAsync(int level, long index, CancellationToken ct)
        {
            Assert.True((index + 1) << level <= size, $"node ({level},{index}) is not complete at size {size}");
            Calls++;
            return ValueTask.FromResult(SHA256.HashData(BitConverter.GetBytes(((long)level << 56) ^ index)));
        }
    }
}
