using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using AvLedger.Ledger;

namespace AvLedger.Ledger.Tests;

/// <summary>C2SP signed notes with Ed25519 keys in the key-string forms of Go's sumdb/note.</summary>
public class SignedNoteTests
{
    // The example of golang.org/x/mod/sumdb/note (example_test.go): key pair, text and signed note.
    const string PeterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const string PeterText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const string PeterNote = PeterText + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    const string Body = "avledger.example/log\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    [Fact]
    public void Libsodium_loads_on_this_machine_and_signs()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", "libsodium.so"))
            || !OperatingSystem.IsLinux());
        var signer = NoteSigner.Generate("avledger.example/log");
        Assert.True(new NoteVerifier(signer.VerifierKey).TryVerify(signer.Sign(Body), out _));
    }

    [Fact]
    public void The_published_example_key_derives_its_published_verifier_key()
    {
        var signer = new NoteSigner(PeterSignerKey);
        Assert.Equal(PeterVerifierKey, signer.VerifierKey);
        Assert.Equal(PeterSignerKey, signer.SignerKey);
        Assert.Equal(0xc74f20a3u, signer.KeyHash);
    }

    [Fact]
    public void Signing_the_published_example_gives_the_published_note()
    {
        Assert.Equal(PeterNote, new NoteSigner(PeterSignerKey).Sign(PeterText));
    }

    [Fact]
    public void The_published_example_note_verifies()
    {
        Assert.True(new NoteVerifier(PeterVerifierKey).TryVerify(PeterNote, out var body));
        Assert.Equal(PeterText, body);
    }

    [Fact]
    public void A_signed_note_verifies_and_gives_back_its_body()
    {
        var signer = NoteSigner.Generate("avledger.example/log");
        var note = signer.Sign(Body);
        Assert.StartsWith(Body + "\n\u2014 avledger.example/log ", note, StringComparison.Ordinal);
        Assert.True(new NoteVerifier(signer.VerifierKey).TryVerify(note, out var body));
        Assert.Equal(Body, body);
    }

    [Fact]
    public void A_body_with_blank_lines_is_split_at_the_last_one()
    {
        var signer = NoteSigner.Generate("poet");
        const string text = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n";
        Assert.True(new NoteVerifier(signer.VerifierKey).TryVerify(signer.Sign(text), out var body));
        Assert.Equal(text, body);
    }

    [Fact]
    public void A_tampered_body_fails()
    {
        var signer = NoteSigner.Generate("avledger.example/log");
        var note = signer.Sign(Body).Replace("\n3\n", "\n4\n", StringComparison.Ordinal);
        Assert.False(new NoteVerifier(signer.VerifierKey).TryVerify(note, out var body));
        Assert.Equal("", body);
    }

    [Fact]
    public void A_tampered_signature_fails()
    {
        var verifier = new NoteVerifier(PeterVerifierKey);
        var at = PeterNote.IndexOf("x08go", StringComparison.Ordinal) + 10;
        var tampered = PeterNote[..at] + (PeterNote[at] == 'A' ? 'B' : 'A') + PeterNote[(at + 1)..];
        Assert.False(verifier.TryVerify(tampered, out _));
    }

    [Fact]
    public void Another_key_with_the_same_name_is_not_trusted()
    {
        var signer = NoteSigner.Generate("avledger.example/log");
        var other = NoteSigner.Generate("avledger.example/log");
        Assert.False(new NoteVerifier(other.VerifierKey).TryVerify(signer.Sign(Body), out _));
    }

    [Fact]
    public void The_key_hash_is_the_first_four_bytes_of_sha256_of_name_newline_type_and_key()
    {
        var signer = NoteSigner.Generate("avledger.example/log");
        Assert.Equal(KeyId("avledger.example/log", PublicKeyOf(signer.VerifierKey)), signer.KeyHash);
        Assert.Equal(0xc74f20a3u, KeyId("PeterNeumann", PublicKeyOf(PeterVerifierKey)));
    }

    [Fact]
    public void The_same_key_under_another_name_is_not_trusted()
    {
        var signer = NoteSigner.Generate("avledger.example/log");
        var publicKey = PublicKeyOf(signer.VerifierKey);
        var renamed = $"other.example/log+{KeyId("other.example/log", publicKey):x8}+{Convert.ToBase64String([0x01, .. publicKey])}";
        Assert.False(new NoteVerifier(renamed).TryVerify(signer.Sign(Body), out _));
    }

    [Fact]
    public void Signatures_by_unknown_keys_are_ignored()
    {
        var log = NoteSigner.Generate("avledger.example/log");
        var witness = NoteSigner.Generate("witness.example/w1");
        var note = log.Sign(Body);
        var cosigned = note + witness.Sign(Body)[(Body.Length + 1)..];
        Assert.True(new NoteVerifier(log.VerifierKey).TryVerify(cosigned, out var body));
        Assert.Equal(Body, body);
        Assert.True(new NoteVerifier(witness.VerifierKey).TryVerify(cosigned, out _));
        Assert.False(new NoteVerifier(PeterVerifierKey).TryVerify(cosigned, out _));
    }

    [Fact]
    public void The_spec_example_note_by_an_unknown_key_is_not_accepted()
    {
        const string note = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n"
            + "\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
        Assert.False(new NoteVerifier(PeterVerifierKey).TryVerify(note, out _));
    }

    [Fact]
    public void A_failing_signature_by_the_trusted_key_rejects_the_note_even_beside_a_good_one()
    {
        byte[] zeroSignature = [0xc7, 0x4f, 0x20, 0xa3, .. new byte[64]];
        var badLine = $"\u2014 PeterNeumann {Convert.ToBase64String(zeroSignature)}\n";
        Assert.False(new NoteVerifier(PeterVerifierKey).TryVerify(PeterNote + badLine, out _));
        Assert.True(new NoteVerifier(PeterVerifierKey).TryVerify(PeterNote, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no signatures\n")]
    [InlineData("text\n\n")]
    [InlineData("text\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")]
    [InlineData("text\n\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData("text\n\n\u2014 PeterNeumann not*base64\n")]
    [InlineData("text\n\n\u2014 PeterNeumann x08g\n")]
    [InlineData("text\n\n\u2014 x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData("text\r\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData("text\n\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n\n")]
    public void Malformed_notes_are_refused_without_throwing(string note)
    {
        Assert.False(new NoteVerifier(PeterVerifierKey).TryVerify(note, out var body));
        Assert.Equal("", body);
    }

    // Attribute arguments are stored as UTF-8, which cannot carry a lone surrogate; hence a fact.
    [Fact]
    public void Text_with_a_lone_surrogate_is_neither_signed_nor_verified()
    {
        var signer = new NoteSigner(PeterSignerKey);
        Assert.Throws<ArgumentException>(() => signer.Sign("lone \ud800 surrogate\n"));
        var note = signer.Sign("lone X surrogate\n").Replace("lone X", "lone \ud800", StringComparison.Ordinal);
        Assert.False(new NoteVerifier(PeterVerifierKey).TryVerify(note, out _));
    }

    [Fact]
    public void A_null_note_is_refused()
    {
        Assert.False(new NoteVerifier(PeterVerifierKey).TryVerify(null!, out _));
    }

    [Fact]
    public void Generated_keys_round_trip_through_their_strings()
    {
        var signer = NoteSigner.Generate("avledger.example/log");
        Assert.Matches("^PRIVATE\\+KEY\\+avledger\\.example/log\\+[0-9a-f]{8}\\+A[Q-Za-f][A-Za-z0-9+/]{42}$", signer.SignerKey);
        Assert.Matches("^avledger\\.example/log\\+[0-9a-f]{8}\\+A[Q-Za-f][A-Za-z0-9+/]{42}$", signer.VerifierKey);
        var again = new NoteSigner(signer.SignerKey);
        Assert.Equal(signer.SignerKey, again.SignerKey);
        Assert.Equal(signer.VerifierKey, again.VerifierKey);
        Assert.Equal(signer.VerifierKey, new NoteVerifier(signer.VerifierKey).VerifierKey);
        Assert.Equal("avledger.example/log", new NoteVerifier(signer.VerifierKey).Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("has+plus")]
    [InlineData("tab\tname")]
    [InlineData("ideographic\u3000space")]
    public void Key_names_that_the_format_cannot_carry_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate(name));
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a3")]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+zzzzzzzz+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+Alpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10")]
    [InlineData("PeterNeumann+c74f20a3+not base64")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    public void Malformed_verifier_keys_are_refused(string key)
    {
        Assert.Throws<FormatException>(() => new NoteVerifier(key));
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKD")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AhpKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3")]
    public void Malformed_signer_keys_are_refused(string key)
    {
        Assert.Throws<FormatException>(() => new NoteSigner(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no final newline")]
    [InlineData("carriage\r\nreturn\n")]
    public void Bodies_that_cannot_be_notes_are_not_signed(string body)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate("log").Sign(body));
    }

    static byte[] PublicKeyOf(string verifierKey) => Convert.FromBase64String(verifierKey.Split('+', 3)[2])[1..];

    static uint KeyId(string name, byte[] publicKey) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, 0x01, .. publicKey]));
}
