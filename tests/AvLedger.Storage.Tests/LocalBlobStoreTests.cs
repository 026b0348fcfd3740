using System.Security.Cryptography;
using AvLedger.Storage;

namespace AvLedger.Storage.Tests;

public sealed class LocalBlobStoreTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "avledger-blobs-" + Guid.NewGuid().ToString("N"));
    readonly MasterKey master = new(RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        if (!Directory.Exists(root)) return;
        foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
        Directory.Delete(root, recursive: true);
    }

    static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    [Fact]
    public async Task A_stored_original_is_never_overwritten()
    {
        var vault = new RecordVault(new LocalBlobStore(root), master);
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        Assert.Equal(StoreOutcome.Stored, await vault.StoreOriginalAsync(Sha(bytes), new MemoryStream(bytes), bytes.Length, default));
        var path = Directory.EnumerateFiles(Path.Combine(root, "originals"), "*", SearchOption.AllDirectories).Single();
        var before = await File.ReadAllBytesAsync(path);

        await Assert.ThrowsAsync<BlobExistsException>(() => new LocalBlobStore(root).PutAsync(RecordVault.OriginalKey(Sha(bytes)), s => s.WriteAsync(new byte[] { 1, 2, 3 }).AsTask(), default));
        Assert.Equal(StoreOutcome.AlreadyStored, await vault.StoreOriginalAsync(Sha(bytes), new MemoryStream(bytes), bytes.Length, default));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_their_claimed_hash_leave_nothing_behind()
    {
        var vault = new RecordVault(new LocalBlobStore(root), master);
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var claimed = new string('0', 64);
        Assert.Equal(StoreOutcome.HashMismatch, await vault.StoreOriginalAsync(claimed, new MemoryStream(bytes), bytes.Length, default));
        Assert.False(await new LocalBlobStore(root).ExistsAsync(RecordVault.OriginalKey(claimed), default));
        Assert.Empty(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Scrub_names_a_damaged_blob()
    {
        var vault = new RecordVault(new LocalBlobStore(root), master);
        var good = RandomNumberGenerator.GetBytes(200_000);
        var bad = RandomNumberGenerator.GetBytes(200_000);
        await vault.StoreOriginalAsync(Sha(good), new MemoryStream(good), good.Length, default);
        await vault.StoreOriginalAsync(Sha(bad), new MemoryStream(bad), bad.Length, default);
        var badPath = Directory.EnumerateFiles(root, Sha(bad), SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(badPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var f = new FileStream(badPath, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = 150_000;
            var b = f.ReadByte();
            f.Position = 150_000;
            f.WriteByte((byte)(b ^ 0xFF));
        }
        Assert.True((await vault.ScrubAsync(RecordVault.OriginalKey(Sha(good)))).Intact);
        var result = await vault.ScrubAsync(RecordVault.OriginalKey(Sha(bad)));
        Assert.False(result.Intact);
        Assert.Contains("fails authentication", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_with_path_characters_are_refused()
    {
        var store = new LocalBlobStore(root);
        Assert.Throws<ArgumentException>(() => store.ExistsAsync("originals/../../etc/passwd", default).GetAwaiter().GetResult());
    }

    [Fact]
    public void Master_key_file_is_created_once_with_mode_0600()
    {
        var dir = Path.Combine(root, "keys");
        var first = MasterKey.LoadOrCreate(dir, null);
        var second = MasterKey.LoadOrCreate(dir, null);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "master.key")));
    }

    [Fact]
    public void A_configured_master_key_must_be_32_bytes_of_base64()
    {
        Assert.Throws<InvalidOperationException>(() => MasterKey.LoadOrCreate(root, "c2hvcnQ="));
        var key = MasterKey.LoadOrCreate(root, Convert.ToBase64String(new byte[32]));
        Assert.False(File.Exists(Path.Combine(root, "master.key")));
        Assert.Equal(16, key.Id.Length);
    }
}
