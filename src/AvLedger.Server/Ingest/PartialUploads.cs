using System.Collections.Concurrent;

namespace AvLedger.Server.Ingest;

/// <summary>Where partial uploads live on disk until their record is stored, so a client can
/// resume after its own crash or a server restart.</summary>
public sealed class PartialUploads
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new();

    public PartialUploads(string dataDir)
    {
        Directory = Path.Combine(dataDir, "uploads");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string uploadId) => Path.Combine(Directory, uploadId + ".part");

    public void Create(string uploadId)
    {
        using var _ = new FileStream(PathOf(uploadId), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        AvLedger.Storage.LocalBlobStore.FsyncDirectory(Directory);
    }

    public void Delete(string uploadId)
    {
        var path = PathOf(uploadId);
        if (File.Exists(path)) File.Delete(path);
        locks.TryRemove(uploadId, out var _);
    }

    /// <summary>One writer per upload on this node; the database offset check guards the rest.</summary>
    public async Task<IDisposable> LockAsync(string uploadId, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(uploadId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Releaser(gate);
    }

    sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}

/// <summary>Wakes the ingest worker when an upload completes, instead of waiting for its next poll.</summary>
public sealed class IngestSignal : IDisposable
{
    readonly SemaphoreSlim signal = new(0, int.MaxValue);
    public void Pulse() => signal.Release();
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
    public void Dispose() => signal.Dispose();
}
