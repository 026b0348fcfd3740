using System.Buffers;
using System.Security.Cryptography;

namespace AvLedger.Storage;

/// <summary>Encrypts a plaintext stream into the blob envelope, hashing it with SHA-256 on the way.</summary>
public static class BlobSealer
{
    // Work is cut into batches so hashing (one core) and sealing (the other) run side by side.
    const int ChunksPerBatch = 64;

    /// <returns>The SHA-256 of the plaintext that was sealed.</returns>
    public static async Task<byte[]> SealAsync(
        Stream plaintext, long length, Stream output, MasterKey master,
        int chunkSize = BlobEnvelope.DefaultChunkSize, CancellationToken ct = default)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var header = BlobEnvelope.CreateHeader(master, dataKey, length, chunkSize);
        await output.WriteAsync(header, ct);

        using var aes = new AesGcm(dataKey, BlobEnvelope.TagSize);
        CryptographicOperations.ZeroMemory(dataKey);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunkCount = BlobEnvelope.ChunkCount(length, chunkSize);
        var batchBytes = chunkSize * ChunksPerBatch;
        var plain = ArrayPool<byte>.Shared.Rent(batchBytes);
        // Two output buffers: one is written to disk while the next batch is hashed and sealed.
        byte[][] sealedBuffers = [ArrayPool<byte>.Shared.Rent(batchBytes + ChunksPerBatch * BlobEnvelope.TagSize), ArrayPool<byte>.Shared.Rent(batchBytes + ChunksPerBatch * BlobEnvelope.TagSize)];
        Task writing = Task.CompletedTask;
        try
        {
            long done = 0;
            long chunkIndex = 0;
            var turn = 0;
            while (chunkIndex < chunkCount)
            {
                var want = (int)Math.Min(batchBytes, length - done);
                await plaintext.ReadExactlyAsync(plain.AsMemory(0, want), ct);
                var hashing = Task.Run(() => sha.AppendData(plain, 0, want), ct);
                var target = sealedBuffers[turn];
                var outLength = SealBatch(aes, header, plain.AsSpan(0, want), target, ref chunkIndex, chunkCount, chunkSize);
                await hashing;
                await writing;
                writing = Task.Run(() => output.WriteAsync(target.AsMemory(0, outLength), ct).AsTask(), ct);
                turn ^= 1;
                done += want;
            }
            await writing;
            if (plaintext.ReadByte() != -1) throw new InvalidDataException("The source holds more bytes than its declared length.");
            return sha.GetHashAndReset();
        }
        finally
        {
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(sealedBuffers[0]);
            ArrayPool<byte>.Shared.Return(sealedBuffers[1]);
        }
    }

    static int SealBatch(AesGcm aes, byte[] header, ReadOnlySpan<byte> plain, byte[] output, ref long chunkIndex, long chunkCount, int chunkSize)
    {
        Span<byte> nonce = stackalloc byte[12];
        var written = 0;
        var offset = 0;
        do
        {
            var take = Math.Min(chunkSize, plain.Length - offset);
            BlobEnvelope.ChunkNonce(nonce, chunkIndex, final: chunkIndex == chunkCount - 1);
            aes.Encrypt(nonce, plain.Slice(offset, take), output.AsSpan(written, take), output.AsSpan(written + take, BlobEnvelope.TagSize), header);
            written += take + BlobEnvelope.TagSize;
            offset += take;
            chunkIndex++;
        }
        while (offset < plain.Length);
        return written;
    }
}
