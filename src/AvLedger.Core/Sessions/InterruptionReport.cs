namespace AvLedger.Core.Sessions;

/// <summary>Art. 11: why recording stopped between two segments, where the officer explains it by
/// voice on resuming, which head it was reported to, and the note in the written record. It covers
/// the span [From, To) of its session's timeline, so a late segment that splits the gap leaves every
/// remaining part explained.</summary>
public sealed class InterruptionReport
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public DateTimeOffset From { get; init; }
    public DateTimeOffset To { get; init; }
    public InterruptionReason Reason { get; init; }
    /// <summary>The segment in which the spoken explanation is, and the seconds into it.</summary>
    public string? ExplanationRecordId { get; init; }
    public double? ExplanationOffsetSeconds { get; init; }
    public required string ReportedToId { get; init; }
    public required string DocumentNote { get; init; }
    public required string NoteSalt { get; init; }
    public required string ReportedById { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
}

public enum InterruptionReason
{
    EquipmentFailure, Battery, StorageFull, Environment, PartyRefused, PartyObstructed, PartyDamagedDevice, Emergency, UnsuitableForRecording, Other,
}

/// <summary>Art. 11: an enforcement activity that was not recorded at all, reported to a head.</summary>
public sealed class NoRecordingReport
{
    public required string Id { get; init; }
    public required string ActivityType { get; init; }
    public DateTimeOffset From { get; init; }
    public DateTimeOffset? To { get; init; }
    public required string Place { get; init; }
    public NoRecordingReason Reason { get; init; }
    public required string Note { get; init; }
    public required string NoteSalt { get; init; }
    public required string OfficerId { get; init; }
    public required string UnitId { get; init; }
    public required string UnitPath { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    public string? AcknowledgedById { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
}

public enum NoRecordingReason { Urgent, NoDevice, DeviceFailure, UnsuitableForRecording, Other }
