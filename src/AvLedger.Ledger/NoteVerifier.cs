using System.Text;
using NSec.Cryptography;

namespace AvLedger.Ledger;

/// <summary>Verifies C2SP signed notes against one Ed25519 verifier key.</summary>
public sealed class NoteVerifier
{
    // The spec asks verifiers to cap signatures and to accept at least 16; Go's note package allows 100.
    const int MaxSignatures = 100;

    readonly PublicKey publicKey;

    /// <summary>Reads a verifier key <c>name+hash+base64(0x01‖public key)</c>; throws
    /// <see cref="FormatException"/> when it is malformed or its hash does not match the key.</summary>
    public NoteVerifier(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        (Name, KeyHash, var key) = NoteKeys.Parse(verifierKey, 32);
        if (NoteKeys.Hash(Name, key) != KeyHash) throw new FormatException("The verifier key's hash does not match its key.");
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, key, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
            throw new FormatException("The verifier key is not an Ed25519 public key.");
        publicKey = imported;
        VerifierKey = NoteKeys.Format(Name, KeyHash, key);
    }

    /// <summary>The key name this verifier looks for on signature lines.</summary>
    public string Name { get; }

    /// <summary>The key ID this verifier looks for on signature lines.</summary>
    public uint KeyHash { get; }

    /// <summary>The verifier key in its canonical spelling.</summary>
    public string VerifierKey { get; }

    /// <summary>True, with the note's text in <paramref name="body"/>, when the note is well formed and
    /// carries a valid signature by this key. Lines by other keys are ignored; a line by this key that does
    /// not verify rejects the whole note, as the spec recommends.</summary>
    public bool TryVerify(string signedNote, out string body)
    {
        body = "";
        if (signedNote is null || !NoteKeys.IsValidBody(signedNote)) return false;

        // The text ends at the last blank line; everything after it is signature lines.
        var split = signedNote.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || split + 2 >= signedNote.Length) return false;
        var text = signedNote[..(split + 1)];
        var lines = signedNote[(split + 2)..^1].Split('\n');
        if (lines.Length > MaxSignatures) return false;

        byte[]? message = null;
        var verified = false;
        foreach (var line in lines)
        {
            if (!NoteKeys.TryParseSignatureLine(line, out var name, out var keyHash, out var signature)) return false;
            if (name != Name || keyHash != KeyHash) continue;
            if (signature.Length != 64) return false;
            message ??= Encoding.UTF8.GetBytes(text);
            if (!SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature)) return false;
            verified = true;
        }
        if (verified) body = text;
        return verified;
    }
}
