using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AvLedger.Ledger;

/// <summary>The text forms shared by signer and verifier keys and signature lines.</summary>
static class NoteKeys
{
    /// <summary>Signature type byte for Ed25519 in key hashes and key strings.</summary>
    public const byte Ed25519 = 0x01;

    /// <summary>EM DASH (U+2014) and a space open every signature line.</summary>
    public const string SignaturePrefix = "\u2014 ";

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && !name.Contains('+', StringComparison.Ordinal)
        && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) && IsWellFormed(name);

    /// <summary>Non-empty, ends with a newline, valid Unicode, and no control character but newline.</summary>
    public static bool IsValidBody(string? body) =>
        !string.IsNullOrEmpty(body) && body[^1] == '\n' && !body.Any(c => c < ' ' && c != '\n') && IsWellFormed(body);

    public static uint Hash(string name, ReadOnlySpan<byte> publicKey)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(name));
        sha.AppendData([0x0A, Ed25519]);
        sha.AppendData(publicKey);
        return BinaryPrimitives.ReadUInt32BigEndian(sha.GetHashAndReset());
    }

    public static string Format(string name, uint keyHash, ReadOnlySpan<byte> key) =>
        $"{name}+{keyHash.ToString("x8", CultureInfo.InvariantCulture)}+{Convert.ToBase64String([Ed25519, .. key])}";

    /// <summary>Splits <c>name+hash+base64(0x01‖key)</c>; the caller checks the hash against the key.</summary>
    public static (string Name, uint KeyHash, byte[] Key) Parse(string text, int keyLength)
    {
        var parts = text.Split('+', 3);
        if (parts.Length != 3 || !IsValidName(parts[0])) throw new FormatException("A key is name+hash+base64 with a name free of spaces and '+'.");
        if (parts[1].Length != 8 || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash))
            throw new FormatException("A key hash is 8 hexadecimal digits.");
        var key = DecodeBase64(parts[2]);
        if (key is null || key.Length != 1 + keyLength || key[0] != Ed25519) throw new FormatException("The key is not an Ed25519 key (0x01 and 32 bytes, base64).");
        return (parts[0], hash, key[1..]);
    }

    public static bool TryParseSignatureLine(string line, out string name, out uint keyHash, out byte[] signature)
    {
        (name, keyHash, signature) = ("", 0, []);
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal)) return false;
        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !IsValidName(rest[..space])) return false;
        var decoded = DecodeBase64(rest[(space + 1)..]);
        if (decoded is null || decoded.Length < 5) return false;
        name = rest[..space];
        keyHash = BinaryPrimitives.ReadUInt32BigEndian(decoded);
        signature = decoded[4..];
        return true;
    }

    // Only the canonical spelling counts, so one signature has one text form.
    static byte[]? DecodeBase64(string text)
    {
        var buffer = new byte[text.Length * 3 / 4];
        return Convert.TryFromBase64String(text, buffer, out var written) && Convert.ToBase64String(buffer, 0, written) == text
            ? buffer[..written]
            : null;
    }

    static bool IsWellFormed(string text)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
