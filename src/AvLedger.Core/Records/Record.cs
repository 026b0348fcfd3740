namespace AvLedger.Core.Records;

/// <summary>An enforcement AV record (执法音像记录): one original, stored bit-exact, and what we know of it.</summary>
public sealed class Record
{
    public required string Id { get; init; }
    public required string Sha256 { get; init; }
    public long Size { get; init; }
    public required string FileName { get; init; }
    public required string Format { get; init; }
    public required string MediaKind { get; init; }
    public required string ContentType { get; init; }
    public string? DeviceCode { get; init; }
    public string? DeviceId { get; init; }
    public string? OfficerBadge { get; set; }
    public string? OfficerId { get; set; }
    /// <summary>The owning officer's unit at recording time (or, unassigned, the uploading device's).</summary>
    public string? UnitId { get; set; }
    /// <summary>That unit's tree path, copied so scope is one prefix test inside the query.</summary>
    public string? UnitPath { get; set; }
    /// <summary>The upload named a badge no account carries: kept, and waiting for someone to assign it.</summary>
    public bool Unassigned { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public string? ActivityType { get; set; }
    public string? SessionId { get; set; }
    public Sessions.EnforcementSession? Session { get; init; }
    public DateTimeOffset RecordedStart { get; init; }
    public DateTimeOffset RecordedEnd { get; init; }
    /// <summary>Where <see cref="RecordedStart"/> came from: metadata, container or filename.</summary>
    public required string RecordedStartSource { get; init; }
    public DateTimeOffset SavedAt { get; init; }
    public bool LateSave { get; init; }
    public DateOnly RetainUntil { get; set; }
    public double? DurationSeconds { get; init; }
    public string? VideoCodec { get; init; }
    public string? AudioCodec { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public DateTimeOffset? ContainerCreationTime { get; init; }
    public bool HasThumbnail { get; init; }
    public required string UploadedById { get; init; }
    public required string UploadChannel { get; init; }
    public string? UploadId { get; init; }
    public long? LedgerIndex { get; set; }
    /// <summary>Whether browsers need a web rendition (a derivative) to play this record.</summary>
    public RenditionState Rendition { get; set; }
    /// <summary>Art. 12: why a late save was late, in its officer's words (kept here; the ledger gets a commitment).</summary>
    public string? LateSaveReason { get; set; }
    public string? LateSaveReasonSalt { get; set; }
    public DateTimeOffset? LateSaveReasonAt { get; set; }
    /// <summary>The head who acknowledged the reason.</summary>
    public string? LateSaveAcknowledgedById { get; set; }
    public DateTimeOffset? LateSaveAcknowledgedAt { get; set; }
    /// <summary>Approved requests that name this record (their grants open it beyond scope).</summary>
    public List<Approvals.AccessDecisionRecord> Approvals { get; init; } = [];
    public List<Cases.CaseLink> CaseLinks { get; init; } = [];
    /// <summary>Art. 13: kept with no end date yet (an open case, a legal hold, or a category kept until
    /// the case file's disposal): <see cref="RetainUntil"/> is then only the floor.</summary>
    public bool RetentionOpenEnded { get; set; }
    /// <summary>When the original was destroyed after an approved purge: the record is a tombstone.</summary>
    public DateTimeOffset? PurgedAt { get; set; }
}

public enum RenditionState { NotNeeded, Pending, Ready, Failed }

/// <summary>Art. 18: records touching secrets or privacy are kept confidential.</summary>
public enum Confidentiality { None, PersonalPrivacy, CommercialSecret, StateSecret }
