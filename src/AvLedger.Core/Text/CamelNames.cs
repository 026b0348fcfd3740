namespace AvLedger.Core.Text;

/// <summary>Enum members as the API writes them (camelCase), and read back strictly: a number or an
/// undefined name is not a member.</summary>
public static class CamelNames
{
    public static string Of(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    public static IReadOnlyList<string> Of<TEnum>() where TEnum : struct, Enum => Enum.GetNames<TEnum>().Select(Of).ToList();

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);
}
