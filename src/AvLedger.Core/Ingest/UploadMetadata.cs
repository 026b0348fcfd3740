using System.Text;
using System.Text.RegularExpressions;
using AvLedger.Core.Text;

namespace AvLedger.Core.Ingest;

/// <summary>tus Upload-Metadata: comma-separated "key base64(value)" pairs.</summary>
public static partial class UploadMetadata
{
    public static bool TryParse(string? header, out Dictionary<string, string> values, out string error)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        error = "";
        if (string.IsNullOrWhiteSpace(header)) return true;
        foreach (var raw in header.Split(','))
        {
            var pair = raw.Trim();
            if (pair.Length == 0) continue;
            var space = pair.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? pair : pair[..space];
            if (key.Length == 0 || !KeyPattern().IsMatch(key)) { error = $"invalid metadata key '{Truncate(key)}'"; return false; }
            if (values.ContainsKey(key)) { error = $"metadata key '{key}' appears twice"; return false; }
            var value = "";
            if (space >= 0)
            {
                try { value = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(pair[(space + 1)..].Trim())); }
                catch (FormatException) { error = $"metadata value of '{key}' is not base64"; return false; }
                catch (ArgumentException) { error = $"metadata value of '{key}' is not UTF-8"; return false; }
            }
            // A file name gets its own, more specific answer (FileNameProblem).
            if (key is not ("filename" or "name") && PlainText.Forbidden(value) is { } c) { error = $"metadata value of '{key}' contains the forbidden character {PlainText.Describe(c)}"; return false; }
            values[key] = value;
        }
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    public static partial Regex Sha256Pattern();

    /// <summary>A file name is kept as given for display, so it must not be a path or carry control characters.</summary>
    public static string? FileNameProblem(string name)
    {
        if (name.Length is 0 or > 255) return "filename must be 1–255 characters";
        if (name is "." or "..") return "filename must not be . or ..";
        if (name.IndexOfAny(['/', '\\', ':']) >= 0) return "filename must not contain path characters (/ \\ :)";
        if (name.Any(char.IsControl) || PlainText.Forbidden(name) is not null) return "filename must not contain control or text-direction characters";
        return null;
    }

    static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
