using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AvLedger.Storage;

/// <summary>Blobs as read-only files under a root directory: written to a temporary file,
/// fsynced, then renamed into place without replacing anything.</summary>
public sealed partial class LocalBlobStore : IBlobStore, IBlobDestroyer
{
    readonly string root;
    readonly string temp;

    public LocalBlobStore(string root)
    {
        this.root = Path.GetFullPath(root);
        temp = Path.Combine(this.root, ".tmp");
        Directory.CreateDirectory(temp);
        foreach (var stale in Directory.EnumerateFiles(temp)) File.Delete(stale);
    }

    [GeneratedRegex("^[a-z]+/[a-z0-9._-]+$")]
    private static partial Regex KeyPattern();

    string PathOf(string key)
    {
        if (!KeyPattern().IsMatch(key)) throw new ArgumentException($"Invalid blob key '{key}'.", nameof(key));
        var (prefix, name) = (key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        return Path.Combine(root, prefix, name.Length >= 2 ? name[..2] : "_", name);
    }

    public async Task PutAsync(string key, Func<Stream, Task> write, CancellationToken ct)
    {
        var final = PathOf(key);
        if (File.Exists(final)) throw new BlobExistsException(key);
        var tmp = Path.Combine(temp, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var stream = new WritebackStream(new FileStream(tmp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                BufferSize = 0,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            })))
            {
                await write(stream);
                stream.FlushToDisk();
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead);
            var dir = Path.GetDirectoryName(final)!;
            Directory.CreateDirectory(dir);
            try
            {
                File.Move(tmp, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                throw new BlobExistsException(key);
            }
            FsyncDirectory(dir);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return Task.FromResult<Stream?>(null);
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.RandomAccess);
        return Task.FromResult<Stream?>(stream);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(key)));

    /// <summary>Unlinks a stored blob (its read-only mode does not matter to unlink; the directory's
    /// does). Reached only through <see cref="RecordVault.DestroyAsync"/>.</summary>
    Task<bool> IBlobDestroyer.DestroyAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return Task.FromResult(false);
        File.Delete(path);
        FsyncDirectory(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    /// <summary>Makes a rename durable: without it a crash can forget the new directory entry.</summary>
    public static void FsyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Native.open(dir, 0);
        if (fd < 0) return;
        _ = Native.fsync(fd);
        _ = Native.close(fd);
    }

    static partial class Native
    {
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int open(string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fsync(int fd);

        [LibraryImport("libc")]
        internal static partial int close(int fd);
    }
}
