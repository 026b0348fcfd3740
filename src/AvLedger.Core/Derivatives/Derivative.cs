namespace AvLedger.Core.Derivatives;

/// <summary>Art. 3: material cut, transcoded or watermarked from a record is not an enforcement AV
/// record. It is linked to its original and labelled so, and never listed, counted or exported as one.</summary>
public sealed class Derivative
{
    public required string Id { get; init; }
    public required string OriginalId { get; init; }
    public DerivativeKind Kind { get; init; }
    public double? StartSeconds { get; init; }
    public double? EndSeconds { get; init; }
    public DerivativeState State { get; set; }
    public string? Sha256 { get; set; }
    public long? Size { get; set; }
    public string? Error { get; set; }
    public required string CreatedById { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public enum DerivativeKind { Clip, WebRendition, WatermarkedCopy }

public enum DerivativeState { Pending, Ready, Failed }
