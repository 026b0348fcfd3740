namespace AvLedger.Core.Ledger;

/// <summary>A leaf written in the same transaction as the fact it records, waiting to be
/// sequenced into the tree (at most about a second). Once committed it is never lost.</summary>
public sealed class LedgerPending
{
    public long Id { get; init; }
    public required string Kind { get; init; }
    public required byte[] Leaf { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The record this leaf is about; for its ingest leaf the record's ledgerIndex is set when sequenced.</summary>
    public string? RecordId { get; init; }
    /// <summary>The audit event this leaf ledgers, if it is one; so an audit search can name each event's leaf.</summary>
    public string? AuditEventId { get; init; }
}

/// <summary>A sequenced leaf: append-only, never updated or deleted.</summary>
public sealed class LedgerLeaf
{
    public long Index { get; init; }
    public required string Kind { get; init; }
    public required byte[] Leaf { get; init; }
    public required byte[] Hash { get; init; }
    public DateTimeOffset SequencedAt { get; init; }
    /// <summary>The record the leaf is about, if any (from <see cref="LedgerPending.RecordId"/>): a record's chain of custody.</summary>
    public string? RecordId { get; init; }
    /// <summary>The audit event the leaf ledgers (from <see cref="LedgerPending.AuditEventId"/>); null for other
    /// leaves and for events ledgered before the link existed.</summary>
    public string? AuditEventId { get; init; }
}

/// <summary>The hash of a complete subtree: (level, index) covers leaves [index·2^level, (index+1)·2^level).
/// Any root or proof needs O(log n) of these.</summary>
public sealed class LedgerNode
{
    /// <summary>Level and index in one sortable key, so a proof's nodes come in one IN query.</summary>
    public long Key { get; init; }
    public required byte[] Hash { get; init; }

    public static long KeyOf(int level, long index) => ((long)level << 48) | index;
}

/// <summary>Every published checkpoint (a C2SP signed note), so consistency between any two can be proved.</summary>
public sealed class LedgerCheckpoint
{
    public long TreeSize { get; init; }
    public required string Note { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
}
