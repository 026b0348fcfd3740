namespace AvLedger.Core.Sessions;

/// <summary>Art. 9: one enforcement activity (执法过程), recorded by one or more officers and devices,
/// possibly relayed across devices. Its segments are the records whose <c>SessionId</c> is this one.</summary>
public sealed class EnforcementSession
{
    public required string Id { get; init; }
    /// <summary>Null while an automatically grouped session waits for its officer to say what it was (待补充).</summary>
    public string? ActivityType { get; set; }
    public bool AutoGrouped { get; init; }
    public string? Location { get; set; }
    public string? Title { get; set; }
    /// <summary>The unit of the officer who started it; scope for heads is this path's subtree.</summary>
    public required string UnitId { get; init; }
    public required string UnitPath { get; init; }
    public required string CreatedById { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The span of its segments (or, for a session created before any upload, the announced span).</summary>
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public List<SessionOfficer> Officers { get; init; } = [];
    public List<SessionDevice> Devices { get; init; } = [];
}

public sealed class SessionOfficer
{
    public required string SessionId { get; init; }
    public required string AccountId { get; init; }
}

public sealed class SessionDevice
{
    public required string SessionId { get; init; }
    public required string DeviceCode { get; init; }
}
