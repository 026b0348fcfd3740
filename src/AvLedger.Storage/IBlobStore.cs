namespace AvLedger.Storage;

/// <summary>
/// Write-once object storage for sealed blobs. There is deliberately no overwrite and no delete:
/// an original, once stored, stays (R-8c). The one exception, the approved purge after retention
/// is not on this interface: it is <see cref="RecordVault.DestroyAsync"/>, which checks its
/// order against the clock before it reaches the store.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes a new object. <paramref name="write"/> fills it; if it throws, nothing is
    /// stored. Throws <see cref="BlobExistsException"/> if the key is already taken.</summary>
    Task PutAsync(string key, Func<Stream, Task> write, CancellationToken ct);

    /// <summary>A seekable stream of the stored (sealed) bytes, or null if there is no such object.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    Task<bool> ExistsAsync(string key, CancellationToken ct);
}

public sealed class BlobExistsException(string key) : IOException($"Blob '{key}' already exists and is never overwritten.")
{
    public string Key { get; } = key;
}
