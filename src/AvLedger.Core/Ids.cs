namespace AvLedger.Core;

/// <summary>Opaque, time-ordered identifiers (ULIDs).</summary>
public static class Ids
{
    public static string New() => Ulid.NewUlid().ToString();

    /// <summary>Malformed ids are answered like unknown ones, so callers only need this cheap check.</summary>
    public static bool LooksValid(string? id) => id is { Length: 26 } && Ulid.TryParse(id, out _);
}
