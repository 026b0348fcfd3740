using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace AvLedger.Ledger;

/// <summary>Signs C2SP signed notes with an Ed25519 key. The key strings are those of Go's
/// <c>golang.org/x/mod/sumdb/note</c>, so keys and notes move between this log and the usual tools.</summary>
public sealed class NoteSigner
{
    const string PrivatePrefix = "PRIVATE+KEY+";

    readonly byte[] seed;
    readonly byte[] publicKey;

    /// <summary>Reads a signer key <c>PRIVATE+KEY+name+hash+base64(0x01‖seed)</c>; throws
    /// <see cref="FormatException"/> when it is malformed or its hash does not match the key.</summary>
    public NoteSigner(string signerKey)
    {
        ArgumentNullException.ThrowIfNull(signerKey);
        if (!signerKey.StartsWith(PrivatePrefix, StringComparison.Ordinal)) throw new FormatException("A signer key starts with PRIVATE+KEY+.");
        (Name, KeyHash, seed) = NoteKeys.Parse(signerKey[PrivatePrefix.Length..], 32);
        publicKey = PublicKeyOf(seed);
        if (NoteKeys.Hash(Name, publicKey) != KeyHash) throw new FormatException("The signer key's hash does not match its key.");
    }

    NoteSigner(string name, byte[] seed)
    {
        Name = name;
        this.seed = seed;
        publicKey = PublicKeyOf(seed);
        KeyHash = NoteKeys.Hash(name, publicKey);
    }

    /// <summary>A new random key named <paramref name="name"/> (non-empty, no spaces, no '+').</summary>
    public static NoteSigner Generate(string name)
    {
        if (!NoteKeys.IsValidName(name)) throw new ArgumentException("A key name is non-empty and has neither spaces nor '+'.", nameof(name));
        return new NoteSigner(name, RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>The key name that appears on signature lines.</summary>
    public string Name { get; }

    /// <summary>The key ID: first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian.</summary>
    public uint KeyHash { get; }

    /// <summary>The private form, <c>PRIVATE+KEY+name+hash+base64(0x01‖seed)</c>: a secret.</summary>
    public string SignerKey => PrivatePrefix + NoteKeys.Format(Name, KeyHash, seed);

    /// <summary>The public form, <c>name+hash+base64(0x01‖public key)</c>, for <see cref="NoteVerifier"/>.</summary>
    public string VerifierKey => NoteKeys.Format(Name, KeyHash, publicKey);

    /// <summary>The signed note: <paramref name="body"/>, a blank line and this key's signature line.
    /// The body must be non-empty text ending in a newline with no other control characters.</summary>
    public string Sign(string body)
    {
        if (!NoteKeys.IsValidBody(body)) throw new ArgumentException("A note body is non-empty, ends with a newline and has no other control characters.", nameof(body));
        var signed = new byte[4 + 64];
        BinaryPrimitives.WriteUInt32BigEndian(signed, KeyHash);
        using (var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey))
            SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(body), signed.AsSpan(4));
        return $"{body}\n{NoteKeys.SignaturePrefix}{Name} {Convert.ToBase64String(signed)}\n";
    }

    static byte[] PublicKeyOf(byte[] seed)
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }
}
