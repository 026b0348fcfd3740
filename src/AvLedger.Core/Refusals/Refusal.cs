using System.Globalization;
using System.Resources;

namespace AvLedger.Core.Refusals;

/// <summary>A use case's "no": the status it answers with, a stable code clients branch on, which of
/// the code's explanations applies, and the values that explanation names. The words live once, in
/// RefusalText.resx (Chinese) and RefusalText.en.resx, so the API and the pages say the same thing.</summary>
public sealed record Refusal(int Status, string Code, string? Reason = null, params object[] Args)
{
    static readonly ResourceManager Text = new("AvLedger.Core.Refusals.RefusalText", typeof(Refusal).Assembly);

    /// <summary>Extra members a client needs beside the words (an import's bad lines, the missing records).</summary>
    public IReadOnlyDictionary<string, object>? Extensions { get; init; }

    /// <summary>The catalogue key of the title where one code is said differently per subject (too-large:
    /// a case import, a directory import, an upload); the code clients branch on stays the same.</summary>
    public string? TitleKey { get; init; }

    /// <summary>When asking again may succeed (a rate limit, a lockout), for a Retry-After header.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>The code's own explanation (code.reason), else one several codes share (reason).</summary>
    string? DetailFormat(CultureInfo culture) => Reason is null
        ? Text.GetString(Code + ".detail", culture)
        : Text.GetString(Code + "." + Reason, culture) ?? Text.GetString(Reason, culture);

    public string Title(CultureInfo culture) =>
        Text.GetString(TitleKey ?? Code, culture) ?? throw new MissingManifestResourceException($"No title for refusal {TitleKey ?? Code}.");

    /// <summary>Null where the title says it all.</summary>
    public string? Detail(CultureInfo culture) =>
        DetailFormat(culture) is { } format ? string.Format(culture, format, Args) : null;

    /// <summary>The one line a page shows: title and detail in the reader's language.</summary>
    public string Describe(CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentUICulture;
        var zh = culture.TwoLetterISOLanguageName == "zh";
        var title = Title(culture);
        return Detail(culture) is { } detail ? title + (zh ? "：" : ": ") + detail : title;
    }

    /// <summary>Every key the catalogue holds, for the test that both languages say everything.</summary>
    public static IEnumerable<string> Keys(CultureInfo culture) =>
        Text.GetResourceSet(culture, true, false)?.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key) ?? [];

    public static Refusal NotFound { get; } = new(404, "not-found");
    public static Refusal Forbidden { get; } = new(403, "forbidden");
    public static Refusal InvalidDirectoryEntry(string reason, params object[] args) => new(400, "invalid-directory-entry", reason, args);
    public static Refusal AlreadyExists(string reason, params object[] args) => new(409, "already-exists", reason, args);
}

/// <summary>Items named in a refusal, joined as the reader's language joins a list (；in Chinese, ; in English).</summary>
public sealed record ListedItems(IReadOnlyList<string> Items) : IFormattable
{
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        string.Join(formatProvider is CultureInfo { TwoLetterISOLanguageName: "zh" } ? "；" : "; ", Items);

    public override string ToString() => ToString(null, CultureInfo.CurrentCulture);
}
