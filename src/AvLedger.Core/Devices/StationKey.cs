namespace AvLedger.Core.Devices;

/// <summary>An upload-only API key for a collection station (采集站): it can put recordings in
/// through tus and do nothing else. Only the key's SHA-256 is kept.</summary>
public sealed class StationKey
{
    public const string Prefix = "avl_st_";

    public required string Id { get; init; }
    public required string DeviceId { get; init; }
    public required string Hash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedById { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}
