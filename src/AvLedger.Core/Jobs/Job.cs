namespace AvLedger.Core.Jobs;

public enum JobState { Pending, Done, Failed }

/// <summary>Durable background work: a row survives restarts; a lease lets several nodes share the queue.</summary>
public sealed class Job
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Subject { get; init; }
    public JobState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public string? LeasedBy { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Optimistic concurrency for claiming: two nodes cannot both take one lease.</summary>
    public Guid Version { get; set; }

    /// <summary>Work of <paramref name="kind"/> on <paramref name="subject"/>, due now.</summary>
    public static Job New(string kind, string subject, DateTimeOffset now) =>
        new() { Id = Ids.New(), Kind = kind, Subject = subject, CreatedAt = now, NotBefore = now, Version = Guid.NewGuid() };
}
