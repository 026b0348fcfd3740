namespace AvLedger.Core.Units;

/// <summary>An enforcement unit (支队, 大队, 中队); the hierarchy later scopes who sees what.</summary>
public sealed class Unit
{
    public required string Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; set; }
    public string? ParentId { get; set; }
}
