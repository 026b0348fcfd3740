namespace AvLedger.Core.Units;

/// <summary>An enforcement unit (总队, 支队, 大队, 中队, or a district agency). Units form a tree;
/// several roots are allowed. A unit's heads are its accounts holding DepartmentHead.</summary>
public sealed class Unit
{
    public required string Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; set; }
    /// <summary>The unit's 文号代字 (e.g. 渝交执法一支队): what its approval numbers begin with; its code when unset.</summary>
    public string? ShortName { get; set; }
    public string? ParentId { get; init; }
    /// <summary>Ids from the root down, "/a/b/c/": a subtree is every unit whose path starts with this one's.
    /// Units do not move, so paths copied onto accounts and records stay true.</summary>
    public required string Path { get; init; }
    public bool Disabled { get; set; }

    public static string PathOf(string id, string? parentPath) => (parentPath ?? "/") + id + "/";
}
