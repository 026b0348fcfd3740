namespace AvLedger.Core.Audit;

public static class AuditActions
{
    public const string ContentView = "record.view";
    public const string ContentDownload = "record.download";
    public const string ThumbnailView = "record.thumbnail";
    public const string RecordStored = "record.stored";
}

/// <summary>One access to or change of what the vault holds. A playback's many Range requests
/// fold into one event per user, record and viewing window.</summary>
public sealed class AuditEvent
{
    public required string Id { get; init; }
    public DateTimeOffset At { get; init; }
    public DateTimeOffset LastAt { get; set; }
    public required string ActorId { get; init; }
    public required string Action { get; init; }
    public string? RecordId { get; init; }
    /// <summary>Byte ranges served, summarised ("0-1048575,2097152-"); never content.</summary>
    public string? Ranges { get; set; }
    public int Requests { get; set; }
}
