using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AvLedger.Storage;

/// <summary>
/// The at-rest format of a blob: a header holding the data key wrapped by the master key, then the
/// plaintext in fixed-size chunks, each sealed with AES-256-GCM under the blob's own data key.
/// Each chunk's nonce carries its index and a final-chunk flag, and every chunk authenticates the
/// header, so reordering, truncation, extension and header edits all fail authentication.
/// </summary>
public static class BlobEnvelope
{
    public const int DefaultChunkSize = 64 * 1024;
    public const int TagSize = 16;
    const int NonceSize = 12;
    static ReadOnlySpan<byte> Magic => "AVLB"u8;
    const byte Version = 1;
    // magic 4 | version 1 | chunk size 4 | plaintext length 8 | key id 8 | wrap nonce 12 | wrapped key 32 | wrap tag 16
    public const int HeaderSize = 4 + 1 + 4 + 8 + 8 + NonceSize + 32 + TagSize;
    static ReadOnlySpan<byte> WrapAad => "avledger-data-key-v1"u8;

    public static long EncryptedLength(long plaintextLength, int chunkSize = DefaultChunkSize)
    {
        var chunks = ChunkCount(plaintextLength, chunkSize);
        return HeaderSize + plaintextLength + chunks * TagSize;
    }

    /// <summary>An empty blob still has one (empty, final) chunk so truncation to the header is detected.</summary>
    public static long ChunkCount(long plaintextLength, int chunkSize) =>
        plaintextLength == 0 ? 1 : (plaintextLength + chunkSize - 1) / chunkSize;

    internal static byte[] CreateHeader(MasterKey master, byte[] dataKey, long plaintextLength, int chunkSize)
    {
        var header = new byte[HeaderSize];
        var span = header.AsSpan();
        Magic.CopyTo(span);
        span[4] = Version;
        BinaryPrimitives.WriteInt32BigEndian(span[5..], chunkSize);
        BinaryPrimitives.WriteInt64BigEndian(span[9..], plaintextLength);
        Convert.FromHexString(master.Id).CopyTo(span[17..]);
        var nonce = span.Slice(25, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(master.Bytes, TagSize);
        aes.Encrypt(nonce, dataKey, span.Slice(37, 32), span.Slice(69, TagSize), WrapAad);
        return header;
    }

    internal static (byte[] DataKey, long PlaintextLength, int ChunkSize) OpenHeader(MasterKey master, ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Magic))
            throw new BlobDamagedException("not an AvLedger blob (bad header)");
        if (header[4] != Version) throw new BlobDamagedException($"unknown blob format version {header[4]}");
        var chunkSize = BinaryPrimitives.ReadInt32BigEndian(header[5..]);
        var length = BinaryPrimitives.ReadInt64BigEndian(header[9..]);
        if (chunkSize <= 0 || chunkSize > 16 * 1024 * 1024 || length < 0) throw new BlobDamagedException("bad header fields");
        if (Convert.ToHexStringLower(header.Slice(17, 8)) != master.Id)
            throw new BlobDamagedException("blob was sealed under a different master key");
        var dataKey = new byte[32];
        try
        {
            using var aes = new AesGcm(master.Bytes, TagSize);
            aes.Decrypt(header.Slice(25, NonceSize), header.Slice(37, 32), header.Slice(69, TagSize), dataKey, WrapAad);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new BlobDamagedException("data key does not unwrap (header damaged or wrong master key)");
        }
        return (dataKey, length, chunkSize);
    }

    internal static void ChunkNonce(Span<byte> nonce, long index, bool final)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce, index);
        nonce[8] = final ? (byte)1 : (byte)0;
    }
}

public sealed class BlobDamagedException(string message) : IOException(message);
