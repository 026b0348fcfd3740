namespace AvLedger.Core.Devices;

public enum DeviceKind
{
    BodyWornRecorder,
    CollectionStation,
    Drone,
    UnmannedDevice,
    InterviewRoomCamera,
    VehicleCamera,
}

public sealed class Device
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    public required string Id { get; init; }
    public required string Code { get; init; }
    public required DeviceKind Kind { get; set; }
    public string? UnitId { get; set; }
    /// <summary>The zone a device clock without an offset is read in.</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;
}
