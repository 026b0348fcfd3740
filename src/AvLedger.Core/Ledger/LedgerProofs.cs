using AvLedger.Core.Data;
using AvLedger.Ledger;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Ledger;

/// <summary>Roots and proofs from the stored complete subtrees. The nodes a proof needs depend
/// only on the sizes and index, so they are found first with placeholder hashes and then read in
/// one query.</summary>
public static class LedgerProofs
{
    public static async Task<byte[]> RootAsync(AvLedgerDb db, long size, CancellationToken ct) =>
        await WithNodesAsync(db, source => MerkleTree.RootAsync(source, size, ct), ct);

    public static async Task<byte[][]> InclusionAsync(AvLedgerDb db, long index, long size, CancellationToken ct) =>
        await WithNodesAsync(db, source => MerkleTree.InclusionProofAsync(source, index, size, ct), ct);

    public static async Task<byte[][]> ConsistencyAsync(AvLedgerDb db, long first, long second, CancellationToken ct) =>
        await WithNodesAsync(db, source => MerkleTree.ConsistencyProofAsync(source, first, second, ct), ct);

    static async Task<T> WithNodesAsync<T>(AvLedgerDb db, Func<INodeSource, ValueTask<T>> compute, CancellationToken ct)
    {
        var wanted = new KeyRecorder();
        await compute(wanted);
        var keys = wanted.Keys.ToList();
        var nodes = await db.LedgerNodes.AsNoTracking().Where(n => keys.Contains(n.Key)).ToDictionaryAsync(n => n.Key, n => n.Hash, ct);
        if (nodes.Count != keys.Count)
            throw new InvalidOperationException($"{keys.Count - nodes.Count} ledger node(s) are missing: the stored tree is damaged");
        return await compute(new StoredNodes(nodes));
    }

    sealed class KeyRecorder : INodeSource
    {
        static readonly byte[] Placeholder = new byte[32];
        public HashSet<long> Keys { get; } = [];

        public ValueTask<byte[]> GetNodeAsync(int level, long index, CancellationToken ct)
        {
            Keys.Add(LedgerNode.KeyOf(level, index));
            return ValueTask.FromResult(Placeholder);
        }
    }

    sealed class StoredNodes(Dictionary<long, byte[]> nodes) : INodeSource
    {
        public ValueTask<byte[]> GetNodeAsync(int level, long index, CancellationToken ct) =>
            ValueTask.FromResult(nodes[LedgerNode.KeyOf(level, index)]);
    }
}
