using System.Globalization;

namespace AvLedger.Ledger;

/// <summary>A C2SP tlog-checkpoint body: origin, tree size and root hash, each on its own line. Signed as
/// a note (<see cref="NoteSigner"/>), it is what auditors keep and third-party tools verify.</summary>
public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash)
{
    /// <summary>Identifies the log; non-empty, one line.</summary>
    public string Origin { get; init => field = ValidOrigin(value); } = ValidOrigin(Origin);

    /// <summary>Number of leaves.</summary>
    public long TreeSize { get; init => field = ValidSize(value); } = ValidSize(TreeSize);

    /// <summary>RFC 9162 tree head at <see cref="TreeSize"/>, 32 bytes.</summary>
    public byte[] RootHash { get; init => field = ValidRoot(value); } = ValidRoot(RootHash);

    /// <summary>The note text: <c>origin\nsize\nbase64(root)\n</c>.</summary>
    public string ToBody() => $"{Origin}\n{TreeSize.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n";

    /// <summary>Reads a checkpoint body (extension lines after the third are ignored); false for anything
    /// that is not exactly the C2SP form.</summary>
    public static bool TryParse(string body, out Checkpoint? checkpoint)
    {
        checkpoint = null;
        if (body is null || !body.EndsWith('\n')) return false;
        var lines = body[..^1].Split('\n');
        if (lines.Length < 3 || Array.Exists(lines, l => l.Length == 0)) return false;
        if (!IsOrigin(lines[0]) || !TryParseSize(lines[1], out var size)) return false;
        var root = new byte[MerkleHash.Size];
        // Decoding must consume the whole line and re-encode to it, so only the canonical spelling passes.
        if (!Convert.TryFromBase64String(lines[2], root, out var written) || written != MerkleHash.Size
            || Convert.ToBase64String(root) != lines[2]) return false;
        checkpoint = new Checkpoint(lines[0], size, root);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(Checkpoint? other) =>
        other is not null && Origin == other.Origin && TreeSize == other.TreeSize && RootHash.AsSpan().SequenceEqual(other.RootHash);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Origin, TreeSize, BitConverter.ToInt32(RootHash));

    static string ValidOrigin(string origin) =>
        IsOrigin(origin) ? origin : throw new ArgumentException("The origin must be one non-empty line.", nameof(origin));

    static long ValidSize(long size) =>
        size >= 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), "A tree size is never negative.");

    static byte[] ValidRoot(byte[] root) =>
        root is { Length: MerkleHash.Size } ? root : throw new ArgumentException($"A root hash is {MerkleHash.Size} bytes.", nameof(root));

    static bool IsOrigin(string? origin) => !string.IsNullOrEmpty(origin) && !origin.Any(char.IsControl);

    // ASCII decimal without sign or leading zeros ("0" alone for the empty tree), as the spec requires.
    static bool TryParseSize(string text, out long size)
    {
        size = 0;
        if (text.Length == 0 || (text.Length > 1 && text[0] == '0') || !text.All(char.IsAsciiDigit)) return false;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
