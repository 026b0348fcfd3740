using System.Globalization;

namespace AvLedger.Core.Refusals;

/// <summary>A refusal's list of allowed values, joined the way the reader's language joins a list
/// (“a、b” in Chinese, “a, b” in English), so both languages name the same values.</summary>
public sealed record Listing(IReadOnlyList<string> Items) : IFormattable
{
    public Listing(IEnumerable<string> items) : this(items.ToList()) { }

    public string ToString(string? format, IFormatProvider? formatProvider) =>
        string.Join(formatProvider is CultureInfo { TwoLetterISOLanguageName: "zh" } ? "、" : ", ", Items);

    public override string ToString() => ToString(null, CultureInfo.CurrentCulture);
}
