namespace AvLedger.Core.Ingest;

public enum UploadState { Receiving, Processing, Stored, Rejected }

/// <summary>A tus upload in progress or finished. Its bytes live in a partial file until the
/// record is stored; <see cref="Offset"/> only ever counts bytes that were fsynced.</summary>
public sealed class Upload
{
    public required string Id { get; init; }
    public required string CreatedById { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; set; }
    public long Length { get; init; }
    public long Offset { get; set; }
    public required string FileName { get; init; }
    public required string Sha256 { get; init; }
    public string? DeviceCode { get; init; }
    public string? OfficerBadge { get; init; }
    public string? RecordedAt { get; init; }
    public string? ActivityType { get; init; }
    public string? SessionId { get; init; }
    public string? Format { get; set; }
    public UploadState State { get; set; }
    public string? RecordId { get; set; }
    public bool Duplicate { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>When the whole file's hash was verified and its sealed blob durably stored (the record's savedAt).</summary>
    public DateTimeOffset? SealedAt { get; set; }
}
