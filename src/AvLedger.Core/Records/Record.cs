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
    /// <summary>When the recording began; with source <see cref="RecordedTimeSources.Unknown"/> only a
    /// placeholder (the upload's start), used for nothing the rules decide.</summary>
    public DateTimeOffset RecordedStart { get; set; }
    public DateTimeOffset RecordedEnd { get; set; }
    /// <summary>Where <see cref="RecordedStart"/> came from: one of <see cref="RecordedTimeSources"/>.</summary>
    public required string RecordedStartSource { get; set; }
    /// <summary>The start the uploader claimed (typed, or in the file name), kept beside the media's own time.</summary>
    public DateTimeOffset? ClaimedRecordedStart { get; init; }
    /// <summary>The claim differs from the media's own time by more than the tolerance: flagged for the head.</summary>
    public bool RecordedTimeDiscrepancy { get; init; }
    /// <summary>The department head who confirmed the recording time of a record whose media had none.</summary>
    public string? RecordedTimeConfirmedById { get; set; }
    public DateTimeOffset? RecordedTimeConfirmedAt { get; set; }
    public DateTimeOffset SavedAt { get; init; }
    /// <summary>Art. 12: saved more than 24 h after it ended; null while the recording time is unknown
    /// (never counted as on time).</summary>
    public bool? LateSave { get; set; }
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
    /// <summary>The head who returned the reason to the officer, and why (the ledger gets a commitment).</summary>
    public string? LateSaveReturnedById { get; set; }
    public DateTimeOffset? LateSaveReturnedAt { get; set; }
    public string? LateSaveReturnOpinion { get; set; }
    public string? LateSaveReturnOpinionSalt { get; set; }
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
