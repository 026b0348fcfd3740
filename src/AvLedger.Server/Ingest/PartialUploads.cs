using System.Collections.Concurrent;
using AvLedger.Server.Jobs;

namespace AvLedger.Server.Ingest;

/// <summary>Where partial uploads live on disk until their record is stored, so a client can
/// resume after its own crash or a server restart.</summary>
public sealed class PartialUploads
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new();
    readonly ConcurrentDictionary<string, bool> sealedHere = new();

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

    /// <summary>The last PATCH of an upload is not fsynced as plaintext: its bytes become durable
    /// as the sealed blob. The partial file is then trustworthy only in the process that sealed it.</summary>
    public void MarkSealedHere(string uploadId) => sealedHere[uploadId] = true;

    public bool WasSealedHere(string uploadId) => sealedHere.ContainsKey(uploadId);

    public void Delete(string uploadId)
    {
        sealedHere.TryRemove(uploadId, out _);
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
public sealed class IngestSignal : Signal;
