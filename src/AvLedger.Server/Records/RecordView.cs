using System.Linq.Expressions;
using AvLedger.Core.Records;

namespace AvLedger.Server.Records;

public sealed record RecordView(
    string Id,
    string Sha256,
    long Size,
    string FileName,
    string Format,
    string MediaKind,
    string ContentType,
    string? DeviceCode,
    string? OfficerBadge,
    string? UnitId,
    string? ActivityType,
    string? SessionId,
    DateTimeOffset RecordedStart,
    DateTimeOffset RecordedEnd,
    string RecordedStartSource,
    DateTimeOffset SavedAt,
    bool? LateSave,
    long? LedgerIndex,
    DateOnly RetainUntil,
    double? DurationSeconds,
    string? VideoCodec,
    string? AudioCodec,
    int? Width,
    int? Height,
    bool HasThumbnail,
    string UploadChannel,
    bool RetentionOpenEnded,
    DateTimeOffset? PurgedAt,
    DateTimeOffset? ClaimedRecordedStart,
    bool RecordedTimeDiscrepancy,
    DateTimeOffset? ContainerCreationTime)
{
    /// <summary>What a head must look at about the recording time: unknown, unconfirmed, discrepant, or null.</summary>
    public string? RecordedTimeFlag => RecordedTimeSources.Flag(RecordedStartSource, RecordedTimeDiscrepancy);
    /// <summary>Art. 3: this is an enforcement AV record (derivatives answer false).</summary>
    public bool IsRecord => true;
    /// <summary>Art. 13: the retention categories the record is kept under (filled in after the projection).</summary>
    public IReadOnlyList<string> RetentionCategories { get; init; } = [];

    public static readonly Expression<Func<Record, RecordView>> Projection = r => new RecordView(
        r.Id, r.Sha256, r.Size, r.FileName, r.Format, r.MediaKind, r.ContentType, r.DeviceCode, r.OfficerBadge, r.UnitId,
        r.ActivityType, r.SessionId, r.RecordedStart, r.RecordedEnd, r.RecordedStartSource, r.SavedAt, r.LateSave,
        r.LedgerIndex, r.RetainUntil, r.DurationSeconds, r.VideoCodec, r.AudioCodec, r.Width, r.Height, r.HasThumbnail, r.UploadChannel,
        r.RetentionOpenEnded, r.PurgedAt, r.ClaimedRecordedStart, r.RecordedTimeDiscrepancy, r.ContainerCreationTime);

    /// <summary>API times are shown in China time (with the +08:00 offset), the zone the regulation works in.</summary>
    public RecordView InChinaTime() => this with
    {
        RecordedStart = RecordingTimes.ToChina(RecordedStart),
        RecordedEnd = RecordingTimes.ToChina(RecordedEnd),
        SavedAt = RecordingTimes.ToChina(SavedAt),
        PurgedAt = PurgedAt is { } purged ? RecordingTimes.ToChina(purged) : null,
        ClaimedRecordedStart = ClaimedRecordedStart is { } claimed ? RecordingTimes.ToChina(claimed) : null,
        ContainerCreationTime = ContainerCreationTime is { } media ? RecordingTimes.ToChina(media) : null,
    };
}
