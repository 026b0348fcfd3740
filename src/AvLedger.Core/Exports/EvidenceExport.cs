namespace AvLedger.Core.Exports;

public enum ExportState { Queued, Running, Ready, Failed, Expired }

/// <summary>An evidence package: the records it holds are fixed when it is asked for; the
/// ZIP is built by a background job, sealed in the ledger, and downloadable by its requester only,
/// until it expires.</summary>
public sealed class EvidenceExport
{
    public required string Id { get; init; }
    public required string RequesterId { get; init; }
    /// <summary>The approved external provision (an access request of kind Provide) it is made under, if any.</summary>
    public string? ProvisionId { get; init; }
    /// <summary>Free text: kept here; the seal names only the manifest's hash.</summary>
    public required string Purpose { get; init; }
    /// <summary>How the requester named the records: "records", "session" or "case".</summary>
    public required string TargetType { get; init; }
    public string? Target { get; init; }
    /// <summary>Watermarked viewing copies (recipient and package id burned in) asked for: derivatives, not records.</summary>
    public bool WithCopies { get; init; }
    public ExportState State { get; set; }
    /// <summary>0–100.</summary>
    public int Progress { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? ManifestSha256 { get; set; }
    public long? SealIndex { get; set; }
    public long? TreeSize { get; set; }
    public string? PackageSha256 { get; set; }
    public long? Size { get; set; }
    public string? Error { get; set; }
    public int Downloads { get; set; }
    /// <summary>The recipient's signed receipt, uploaded back (sealed in the vault under its hash).</summary>
    public string? ReceiptSha256 { get; set; }
    public long? ReceiptSize { get; set; }
    public string? ReceiptFileName { get; set; }
    public string? ReceiptContentType { get; set; }
    public DateTimeOffset? ReceiptAt { get; set; }
    public string? ReceiptById { get; set; }
    public List<EvidenceExportRecord> Records { get; init; } = [];
}

public sealed class EvidenceExportRecord
{
    public required string ExportId { get; init; }
    public required string RecordId { get; init; }
}
