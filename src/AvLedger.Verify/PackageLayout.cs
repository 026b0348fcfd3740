using System.Text;
using System.Text.RegularExpressions;

namespace AvLedger.Verify;

/// <summary>What names a package may hold (docs/evidence-package.md, "Entry names"): exactly the four
/// ledger files and manifest, and the paths the sealed manifest lists; each one canonical ASCII, so no
/// case, Unicode-normalisation, "./", "..", absolute, backslash or drive-letter variant of a listed name
/// can stand beside it and be what an unzip program extracts instead.</summary>
static partial class PackageLayout
{
    public const string Manifest = "manifest.json";
    public const string Checkpoint = "ledger/checkpoint.txt";
    public const string Key = "ledger/key.txt";
    public const string Proofs = "ledger/proofs.json";

    /// <summary>Not in the manifest, and each checked another way: the manifest by its seal leaf, the
    /// checkpoint by its signature, the key against the signature and the trusted key, every proof leaf
    /// against the signed root (and named by the manifest).</summary>
    public static readonly string[] Exempt = [Manifest, Checkpoint, Key, Proofs];

    /// <summary>Format 1 wrote these without sealing them; they are reported, never relied on.</summary>
    public static readonly string[] Format1Unsealed = ["README.txt", "report/report.html", "report/report.pdf", "verify/verify.html", "receipt/receipt.html"];

    /// <summary>The extensions of the formats the server recognises from content (AvLedger.Media.MediaFormat).</summary>
    public static readonly string[] MediaExtensions = [".mp4", ".mov", ".avi", ".mkv", ".ts", ".flv", ".wav", ".mp3", ".aac", ".amr", ".jpg"];

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")]
    private static partial Regex CanonicalPath();

    [GeneratedRegex("^[A-Za-z0-9]{1,64}$")]
    private static partial Regex Id();

    public static bool IsCanonical(string? path) => path is not null && path.Length <= 512 && CanonicalPath().IsMatch(path);

    /// <summary>Format 2: an original is <c>originals/{id}{extension of its recognised format}</c>.</summary>
    public static bool IsOriginalPath(string path, string? id) =>
        id is not null && Id().IsMatch(id) && path.StartsWith($"originals/{id}", StringComparison.Ordinal)
        && path[$"originals/{id}".Length..] is var ext && (ext.Length == 0 || MediaExtensions.Contains(ext, StringComparer.Ordinal));

    public static bool IsCopyPath(string path, string? recordId) => recordId is not null && Id().IsMatch(recordId) && path == $"copies/{recordId}-watermarked.mp4";

    /// <summary>The name an extracting program may end up writing: slashes for backslashes, compatibility
    /// forms folded (NFKC), case folded, empty and "." segments dropped.</summary>
    public static string Fold(string name) =>
        string.Join('/', name.Replace('\\', '/').Normalize(NormalizationForm.FormKC).ToUpperInvariant().Split('/').Where(s => s.Length > 0 && s != "."));

    /// <summary>Why an entry that is not one of <paramref name="expected"/> fails, in Chinese and English.</summary>
    public static (string Zh, string En) Foreign(string entry, IEnumerable<string> expected)
    {
        if (entry.EndsWith('/'))
            return ("ZIP 中有目录条目；证据包只含文件，不含目录条目", "the ZIP has a directory entry; an evidence package holds files only");
        var folded = Fold(entry);
        if (expected.FirstOrDefault(e => Fold(e) == folded) is { } twin)
            return ($"与清单中的 {twin} 仅在大小写、Unicode 规范化、./ 前缀、斜杠或路径写法上不同：解压时可能替换或冒充它，不能作为证据",
                $"differs from {twin} in the manifest only by case, Unicode normalisation, a ./ prefix, slashes or spelling: an unzip program may extract it in that file's place; it is not evidence");
        if (entry.StartsWith('/') || entry.Contains('\\', StringComparison.Ordinal) || entry.Contains(':', StringComparison.Ordinal)
            || entry.Split('/').Any(s => s is "" or "." or "..") || entry.Any(char.IsControl))
            return ("路径不安全（绝对路径、含 .. 或 .、反斜杠、盘符或控制字符）：解压时可能写到证据包之外或覆盖其他文件，不能作为证据",
                "unsafe path (absolute, with .. or ., a backslash, a drive letter or a control character): an unzip program may write it outside the package or over another file; it is not evidence");
        if (!entry.IsNormalized(NormalizationForm.FormC) || !IsCanonical(entry))
            return ("文件名含有证据包不使用的字符（非 ASCII 或非 Unicode NFC 规范形式），不在清单中，不能作为证据",
                "the name has characters no package uses (non-ASCII, or not in Unicode NFC); it is not in the manifest and not evidence");
        return ("此文件不在清单中，未经账本封存，不能作为证据", "this file is not in the manifest and not sealed in the ledger; it is not evidence");
    }
}
