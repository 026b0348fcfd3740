namespace AvLedger.Core.Text;

/// <summary>Names and free text are shown to heads, printed on written approvals and put into evidence
/// lists: characters that hide or reorder what a reader sees (NUL and other controls, bidirectional
/// overrides such as U+202E) have no place in them.</summary>
public static class PlainText
{
    /// <summary>The first character not allowed in a name or free text, or null. Tab and line breaks are allowed.</summary>
    public static char? Forbidden(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (IsForbidden(c)) return c;
        return null;
    }

    public static bool IsForbidden(char c) => c switch
    {
        '\t' or '\n' or '\r' => false,
        < '\u0020' => true,
        >= '\u007F' and <= '\u009F' => true,
        // Bidirectional formatting: ALM, LRM, RLM, the embeddings and overrides, the isolates.
        '\u061C' or '\u200E' or '\u200F' => true,
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };

    /// <summary>How a forbidden character is named in an error: its code point, never the character itself.</summary>
    public static string Describe(char c) => $"U+{(int)c:X4}";
}
