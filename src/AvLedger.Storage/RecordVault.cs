using System.Security.Cryptography;

namespace AvLedger.Storage;

/// <summary>Sealed, content-addressed originals and their derivatives on top of a blob store.</summary>
public sealed class RecordVault(IBlobStore store, MasterKey master, TimeProvider? clock = null)
{
    readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>Art. 13: China Standard Time has had no daylight saving since 1991; retention days are Beijing days.</summary>
    static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string OriginalKey(string sha256Hex) => $"originals/{sha256Hex}";
    public static string ThumbnailKey(string sha256Hex) => $"thumbnails/{sha256Hex}.jpg";
    public static string RenditionKey(string sha256Hex) => $"renditions/{sha256Hex}.mp4";
    /// <summary>A clip (Art. 3 derivative), keyed by its own hash: a retried cut that re-encodes
    /// to different bytes gets a key of its own rather than meeting a stale blob.</summary>
    public static string ClipKey(string clipSha256Hex) => $"clips/{clipSha256Hex}.mp4";

    /// <summary>Seals <paramref name="plaintext"/> under its claimed hash. The blob becomes visible
    /// only if the bytes hash to <paramref name="sha256Hex"/>; otherwise nothing is stored.</summary>
    public async Task<StoreOutcome> StoreOriginalAsync(string sha256Hex, Stream plaintext, long length, CancellationToken ct)
    {
        var key = OriginalKey(sha256Hex);
        if (await store.ExistsAsync(key, ct))
            return await HashOfAsync(plaintext, ct) == sha256Hex ? StoreOutcome.AlreadyStored : StoreOutcome.HashMismatch;
        try
        {
            await store.PutAsync(key, async output =>
            {
                var actual = Convert.ToHexStringLower(await BlobSealer.SealAsync(plaintext, length, output, master, ct: ct));
                if (actual != sha256Hex) throw new HashMismatchException(actual);
            }, ct);
            return StoreOutcome.Stored;
        }
        catch (HashMismatchException)
        {
            return StoreOutcome.HashMismatch;
        }
        catch (BlobExistsException)
        {
            plaintext.Position = 0;
            return await HashOfAsync(plaintext, ct) == sha256Hex ? StoreOutcome.AlreadyStored : StoreOutcome.HashMismatch;
        }
    }

    public async Task StoreDerivativeAsync(string key, byte[] content, CancellationToken ct)
    {
        using var source = new MemoryStream(content, writable: false);
        await StoreDerivativeAsync(key, source, content.Length, ct);
    }

    /// <summary>Seals a derivative (thumbnail, web rendition) keyed by its original, streaming.</summary>
    public async Task StoreDerivativeAsync(string key, Stream content, long length, CancellationToken ct)
    {
        if (await store.ExistsAsync(key, ct)) return;
        try
        {
            await store.PutAsync(key, output => BlobSealer.SealAsync(content, length, output, master, ct: ct), ct);
        }
        catch (BlobExistsException)
        {
            // A concurrent worker sealed the same derivative; content-addressed, so it is the same.
        }
    }

    /// <summary>The plaintext of a blob, seekable; null when absent.</summary>
    public async Task<BlobReadStream?> OpenAsync(string key, CancellationToken ct) =>
        await store.OpenReadAsync(key, ct) is { } sealedStream ? new BlobReadStream(sealedStream, master) : null;

    /// <summary>Re-reads one original end to end: every chunk authenticated and the plaintext hashed.</summary>
    public async Task<ScrubResult> ScrubAsync(string key, CancellationToken ct = default)
    {
        var expected = key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];
        try
        {
            await using var stream = await OpenAsync(key, ct);
            if (stream is null) return new ScrubResult(key, false, "missing");
            var actual = Convert.ToHexStringLower(stream.VerifyAll());
            return actual == expected ? new ScrubResult(key, true, null) : new ScrubResult(key, false, $"sha256 is {actual}");
        }
        catch (IOException e)
        {
            return new ScrubResult(key, false, e.Message);
        }
    }

    /// <summary>
    /// The one way anything stored leaves the vault: an approved purge after the retention period
    /// and the recovery window (Art. 13). The vault itself checks the order against its clock, so
    /// even a direct call cannot remove an original sooner: it refuses unless today in Beijing is
    /// past <see cref="PurgeOrder.RetainUntil"/> and now is at or after <see cref="PurgeOrder.DestroyAfter"/>.
    /// The original and its derivatives (thumbnail, web rendition) are removed; returns how many
    /// blobs were. Checking the order against the database (approved, no hold) is the caller's part.
    /// </summary>
    public async Task<int> DestroyAsync(string sha256Hex, PurgeOrder order, CancellationToken ct = default) =>
        await DestroyAsync(sha256Hex, [], order, ct);

    /// <summary>Destroys the original with its thumbnail and rendition, and the clips and copies cut from it
    /// (<paramref name="clipSha256s"/>): a derivative must not outlive the record it was made from.</summary>
    public async Task<int> DestroyAsync(string sha256Hex, IReadOnlyCollection<string> clipSha256s, PurgeOrder order, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(clipSha256s);
        ArgumentNullException.ThrowIfNull(order);
        if (string.IsNullOrEmpty(order.ProposalId) || string.IsNullOrEmpty(order.ApproverId))
            throw new PurgeRefusedException("a purge order names its proposal and the head who approved it");
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(Beijing).DateTime);
        if (today <= order.RetainUntil)
            throw new PurgeRefusedException($"the retention period runs until {order.RetainUntil:yyyy-MM-dd} (Beijing); today is {today:yyyy-MM-dd}");
        if (now < order.DestroyAfter)
            throw new PurgeRefusedException($"the recovery window runs until {order.DestroyAfter:O}");
        if (store is not IBlobDestroyer destroyer)
            throw new PurgeRefusedException("this blob store cannot destroy blobs");
        var removed = 0;
        foreach (var key in clipSha256s.Select(ClipKey).Concat([ThumbnailKey(sha256Hex), RenditionKey(sha256Hex), OriginalKey(sha256Hex)]))
            if (await destroyer.DestroyAsync(key, ct)) removed++;
        return removed;
    }

    static async Task<string> HashOfAsync(Stream stream, CancellationToken ct) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));

    sealed class HashMismatchException(string actual) : Exception($"sha256 was {actual}");
}

/// <summary>What a purge must show the vault: the record's retention end, the end of the recovery
/// window after a head's approval, who approved, and which proposal.</summary>
public sealed record PurgeOrder(string ProposalId, string ApproverId, DateOnly RetainUntil, DateTimeOffset DestroyAfter);

public sealed class PurgeRefusedException(string why) : InvalidOperationException($"Purge refused: {why}.");

/// <summary>Removal of a stored blob, kept internal to this assembly: only <see cref="RecordVault.DestroyAsync"/>
/// reaches it, after checking the purge order.</summary>
internal interface IBlobDestroyer
{
    /// <summary>Removes the object; false if there was none.</summary>
    Task<bool> DestroyAsync(string key, CancellationToken ct);
}

public enum StoreOutcome { Stored, AlreadyStored, HashMismatch }

public sealed record ScrubResult(string Key, bool Intact, string? Problem);
