using System.Security.Cryptography;

namespace AvLedger.Storage;

/// <summary>
/// A seekable, read-only view of a sealed blob's plaintext. A read decrypts only the chunks it
/// touches; a chunk that fails authentication throws <see cref="BlobDamagedException"/> rather
/// than returning bytes.
/// </summary>
public sealed class BlobReadStream : Stream
{
    readonly Stream inner;
    readonly byte[] header;
    readonly AesGcm aes;
    readonly int chunkSize;
    readonly long chunkCount;
    readonly byte[] plainChunk;
    readonly byte[] sealedChunk;
    long cachedChunk = -1;
    int cachedLength;
    long position;

    public BlobReadStream(Stream sealedBlob, MasterKey master)
    {
        if (!sealedBlob.CanSeek) throw new ArgumentException("A sealed blob is read with random access.", nameof(sealedBlob));
        inner = sealedBlob;
        header = new byte[BlobEnvelope.HeaderSize];
        inner.Position = 0;
        var got = inner.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length) throw new BlobDamagedException("blob is shorter than its header");
        var (dataKey, length, size) = BlobEnvelope.OpenHeader(master, header);
        aes = new AesGcm(dataKey, BlobEnvelope.TagSize);
        CryptographicOperations.ZeroMemory(dataKey);
        Length = length;
        chunkSize = size;
        chunkCount = BlobEnvelope.ChunkCount(length, size);
        if (inner.Length != BlobEnvelope.EncryptedLength(length, size))
            throw new BlobDamagedException($"blob is {inner.Length} bytes on disk, expected {BlobEnvelope.EncryptedLength(length, size)} (truncated or extended)");
        plainChunk = new byte[size];
        sealedChunk = new byte[size + BlobEnvelope.TagSize];
    }

    public override long Length { get; }
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;

    public override long Position
    {
        get => position;
        set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (position >= Length || buffer.IsEmpty) return 0;
        var total = 0;
        while (!buffer.IsEmpty && position < Length)
        {
            var index = position / chunkSize;
            LoadChunk(index);
            var within = (int)(position - index * chunkSize);
            var take = Math.Min(buffer.Length, cachedLength - within);
            plainChunk.AsSpan(within, take).CopyTo(buffer);
            buffer = buffer[take..];
            position += take;
            total += take;
        }
        return total;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    void LoadChunk(long index)
    {
        if (index == cachedChunk) return;
        var plainLength = (int)Math.Min(chunkSize, Length - index * chunkSize);
        var sealedLength = plainLength + BlobEnvelope.TagSize;
        inner.Position = BlobEnvelope.HeaderSize + index * (chunkSize + (long)BlobEnvelope.TagSize);
        inner.ReadExactly(sealedChunk, 0, sealedLength);
        Span<byte> nonce = stackalloc byte[12];
        BlobEnvelope.ChunkNonce(nonce, index, final: index == chunkCount - 1);
        try
        {
            aes.Decrypt(nonce, sealedChunk.AsSpan(0, plainLength), sealedChunk.AsSpan(plainLength, BlobEnvelope.TagSize), plainChunk.AsSpan(0, plainLength), header);
        }
        catch (AuthenticationTagMismatchException)
        {
            cachedChunk = -1;
            throw new BlobDamagedException($"chunk {index} fails authentication (damaged, reordered or truncated)");
        }
        cachedChunk = index;
        cachedLength = plainLength;
    }

    /// <summary>Reads every chunk, verifying each, and returns the plaintext's SHA-256.</summary>
    public byte[] VerifyAll()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long i = 0; i < chunkCount; i++)
        {
            LoadChunk(i);
            sha.AppendData(plainChunk, 0, cachedLength);
        }
        return sha.GetHashAndReset();
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            aes.Dispose();
            inner.Dispose();
            CryptographicOperations.ZeroMemory(plainChunk);
        }
        base.Dispose(disposing);
    }
}
