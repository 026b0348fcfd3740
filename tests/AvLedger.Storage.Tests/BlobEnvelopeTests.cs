using System.Security.Cryptography;
using AvLedger.Storage;

namespace AvLedger.Storage.Tests;

public class BlobEnvelopeTests
{
    const int Chunk = 4096;
    static readonly MasterKey Master = new(RandomNumberGenerator.GetBytes(32));

    static async Task<(byte[] Plain, byte[] Sealed)> SealAsync(int length, MasterKey? key = null)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        using var output = new MemoryStream();
        var hash = await BlobSealer.SealAsync(new MemoryStream(plain), plain.Length, output, key ?? Master, chunkSize: Chunk);
        Assert.Equal(SHA256.HashData(plain), hash);
        return (plain, output.ToArray());
    }

    static byte[] ReadAll(byte[] sealedBytes, MasterKey? key = null)
    {
        using var stream = new BlobReadStream(new MemoryStream(sealedBytes), key ?? Master);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    static int ChunkOffset(int index) => BlobEnvelope.HeaderSize + index * (Chunk + BlobEnvelope.TagSize);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk)]
    [InlineData(Chunk * 3 + 17)]
    [InlineData(Chunk * 64 * 2 + 5)]
    public async Task Round_trip_returns_the_exact_bytes(int length)
    {
        var (plain, sealedBytes) = await SealAsync(length);
        Assert.Equal(BlobEnvelope.EncryptedLength(length, Chunk), sealedBytes.Length);
        Assert.Equal(plain, ReadAll(sealedBytes));
    }

    [Fact]
    public async Task Ciphertext_does_not_contain_the_plaintext()
    {
        var plain = new byte[Chunk * 2];
        Array.Fill(plain, (byte)'A');
        using var output = new MemoryStream();
        await BlobSealer.SealAsync(new MemoryStream(plain), plain.Length, output, Master, chunkSize: Chunk);
        Assert.DoesNotContain("AAAAAAAAAAAAAAAA", System.Text.Encoding.ASCII.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Range_read_decrypts_only_what_it_asks_for_and_is_exact()
    {
        var (plain, sealedBytes) = await SealAsync(Chunk * 10 + 123);
        using var stream = new BlobReadStream(new MemoryStream(sealedBytes), Master);
        stream.Position = Chunk * 7 + 100;
        var buffer = new byte[Chunk + 50];
        stream.ReadExactly(buffer);
        Assert.Equal(plain.AsSpan(Chunk * 7 + 100, Chunk + 50).ToArray(), buffer);
        // A damaged chunk far from the range does not disturb it.
        sealedBytes[ChunkOffset(1) + 5] ^= 1;
        using var again = new BlobReadStream(new MemoryStream(sealedBytes), Master);
        again.Position = Chunk * 9;
        var tail = new byte[Chunk + 123];
        again.ReadExactly(tail);
        Assert.Equal(plain.AsSpan(Chunk * 9).ToArray(), tail);
    }

    [Fact]
    public async Task A_flipped_bit_in_a_chunk_is_an_error_not_wrong_bytes()
    {
        var (_, sealedBytes) = await SealAsync(Chunk * 3);
        sealedBytes[ChunkOffset(1) + 10] ^= 0x80;
        var e = Assert.Throws<BlobDamagedException>(() => ReadAll(sealedBytes));
        Assert.Contains("chunk 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapped_chunks_are_detected()
    {
        var (_, sealedBytes) = await SealAsync(Chunk * 3);
        var size = Chunk + BlobEnvelope.TagSize;
        var first = sealedBytes.AsSpan(ChunkOffset(0), size).ToArray();
        sealedBytes.AsSpan(ChunkOffset(1), size).CopyTo(sealedBytes.AsSpan(ChunkOffset(0), size));
        first.CopyTo(sealedBytes.AsSpan(ChunkOffset(1), size));
        Assert.Throws<BlobDamagedException>(() => ReadAll(sealedBytes));
    }

    [Fact]
    public async Task Truncation_at_a_chunk_boundary_is_detected()
    {
        var (_, sealedBytes) = await SealAsync(Chunk * 3);
        var cut = sealedBytes.AsSpan(0, ChunkOffset(2)).ToArray();
        Assert.Throws<BlobDamagedException>(() => ReadAll(cut));
    }

    [Fact]
    public async Task Truncation_with_a_forged_shorter_length_is_detected()
    {
        // Cut the last chunk and rewrite the header's length: the chunk that is now last lacks the final flag.
        var (_, sealedBytes) = await SealAsync(Chunk * 3);
        var cut = sealedBytes.AsSpan(0, ChunkOffset(2)).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(cut.AsSpan(9), Chunk * 2);
        Assert.Throws<BlobDamagedException>(() => ReadAll(cut));
    }

    [Fact]
    public async Task Wrong_master_key_is_refused()
    {
        var (_, sealedBytes) = await SealAsync(100);
        var other = new MasterKey(RandomNumberGenerator.GetBytes(32));
        var e = Assert.Throws<BlobDamagedException>(() => ReadAll(sealedBytes, other));
        Assert.Contains("different master key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Damaged_wrapped_key_is_refused()
    {
        var (_, sealedBytes) = await SealAsync(100);
        sealedBytes[40] ^= 1;
        Assert.Throws<BlobDamagedException>(() => ReadAll(sealedBytes));
    }

    [Fact]
    public async Task VerifyAll_returns_the_plaintext_hash()
    {
        var (plain, sealedBytes) = await SealAsync(Chunk * 5 + 1);
        using var stream = new BlobReadStream(new MemoryStream(sealedBytes), Master);
        Assert.Equal(SHA256.HashData(plain), stream.VerifyAll());
    }
}
