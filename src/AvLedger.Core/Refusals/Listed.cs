namespace AvLedger.Core.Refusals;

/// <summary>Values named in a refusal, joined as each language lists things: 、 in Chinese, ", " otherwise.</summary>
public sealed class Listed(IEnumerable<string> items) : IFormattable
{
    readonly string[] items = [.. items];

    public string ToString(string? format, IFormatProvider? formatProvider) =>
        string.Join(formatProvider is System.Globalization.CultureInfo { TwoLetterISOLanguageName: "zh" } ? "、" : ", ", items);

    public override string ToString() => ToString(null, null);
}
