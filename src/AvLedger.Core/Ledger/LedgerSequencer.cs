using AvLedger.Core.Data;
using AvLedger.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AvLedger.Core.Ledger;

/// <summary>Moves pending leaves into the tree in batches: assigns indices, stores the leaf and
/// every complete subtree it completes, and sets records' ledgerIndex — all in one transaction,
/// so the tree only grows and nothing committed is lost across crashes. Two nodes sequencing at
/// once collide on the leaf index and one of them retries.</summary>
public sealed class LedgerSequencer(AvLedgerDb db, TimeProvider clock)
{
    public const int BatchSize = 2000;

    /// <returns>The new tree size when leaves were sequenced, else null.</returns>
    public async Task<long?> SequenceBatchAsync(CancellationToken ct)
    {
        var pending = await db.LedgerPending.AsNoTracking().OrderBy(p => p.Id).Take(BatchSize).ToListAsync(ct);
        if (pending.Count == 0) return null;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var size = await TreeSizeAsync(db, ct);
        var created = new Dictionary<(int, long), byte[]>();
        var recordIndices = new List<(string RecordId, long Index)>();
        var now = clock.GetUtcNow();
        // Plain prepared inserts: change tracking thousands of rows a batch would halve throughput.
        await using var leafInsert = Insert(tx, "LedgerLeaves", "Index", "Kind", "Leaf", "Hash", "SequencedAt", "RecordId", "AuditEventId");
        await using var nodeInsert = Insert(tx, "LedgerNodes", "Key", "Hash");
        // The raw insert bypasses EF's conversion, so it stores what the model's converter would (UTC ticks or a UTC timestamp).
        var sequencedAt = db.Model.FindEntityType(typeof(LedgerLeaf))!.FindProperty(nameof(LedgerLeaf.SequencedAt))!.GetTypeMapping().Converter!.ConvertToProvider(now)!;
        var index = size;
        foreach (var p in pending)
        {
            var hash = MerkleHash.Leaf(p.Leaf);
            await ExecuteAsync(leafInsert, ct, index, p.Kind, p.Leaf, hash, sequencedAt, (object?)p.RecordId ?? DBNull.Value, (object?)p.AuditEventId ?? DBNull.Value);
            var nodes = MerkleTree.NodesCreatedByAppend(index, hash, (level, i) => created.TryGetValue((level, i), out var h) ? h : LoadNode(level, i));
            foreach (var (level, i, h) in nodes)
            {
                created[(level, i)] = h;
                await ExecuteAsync(nodeInsert, ct, LedgerNode.KeyOf(level, i), h);
            }
            // Later leaves about a record (markers, assignments, reasons) name it too; its index stays its ingest leaf's.
            if (p.RecordId is { } recordId && p.Kind == LeafKinds.RecordStored) recordIndices.Add((recordId, index));
            index++;
        }
        await SetRecordIndicesAsync(recordIndices, ct);
        var ids = pending.Select(p => p.Id).ToList();
        await db.LedgerPending.Where(p => ids.Contains(p.Id)).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return index;
    }

    System.Data.Common.DbCommand Insert(IDbContextTransaction tx, string table, params string[] columns)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = tx.GetDbTransaction();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        for (var i = 0; i < columns.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
        }
        return command;
    }

    static async Task ExecuteAsync(System.Data.Common.DbCommand command, CancellationToken ct, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One UPDATE … CASE per few hundred records rather than one statement per record.</summary>
    async Task SetRecordIndicesAsync(List<(string RecordId, long Index)> indices, CancellationToken ct)
    {
        foreach (var chunk in indices.Chunk(500))
        {
            var parameters = new List<object>();
            var cases = new System.Text.StringBuilder();
            var ids = new List<string>();
            foreach (var (recordId, index) in chunk)
            {
                cases.Append(System.Globalization.CultureInfo.InvariantCulture, $" WHEN {{{parameters.Count}}} THEN {{{parameters.Count + 1}}}");
                parameters.Add(recordId);
                parameters.Add(index);
                ids.Add($"{{{parameters.Count - 2}}}");
            }
            var sql = $"UPDATE \"Records\" SET \"LedgerIndex\" = CASE \"Id\"{cases} END WHERE \"Id\" IN ({string.Join(", ", ids)})";
            await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
        }
    }

    byte[] LoadNode(int level, long index)
    {
        var key = LedgerNode.KeyOf(level, index);
        return db.LedgerNodes.AsNoTracking().Where(n => n.Key == key).Select(n => n.Hash).Single();
    }

    public static async Task<long> TreeSizeAsync(AvLedgerDb db, CancellationToken ct) =>
        await db.LedgerLeaves.AnyAsync(ct) ? await db.LedgerLeaves.MaxAsync(l => l.Index, ct) + 1 : 0;
}
