using System.Collections.Concurrent;
using System.Globalization;
using AvLedger.Core.Records;
using AvLedger.Media;
using AvLedger.Server.Hosting;
using AvLedger.Server.Jobs;
using AvLedger.Storage;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Records;

/// <summary>Viewing is not copying: a person who may view a record plays it as a
/// per-viewer HLS stream with their name, 执法证号 and the viewing's time burned into the picture,
/// made on demand by ffmpeg into a private folder of this viewing's own and deleted when the viewing
/// expires. The original's bytes never reach them. Viewings live on the node that made them (behind
/// a load balancer, keep a viewer on one node).</summary>
public sealed class Viewings(IOptions<AvLedgerOptions> options, RecordVault vault, TimeProvider clock, ILogger<Viewings> log) : IDisposable
{
    /// <summary>How long a viewing stays after its last request.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(30);
    public const string Playlist = "index.m3u8";


    sealed class Viewing(JobDir dir, CancellationTokenSource stop)
    {
        public JobDir Dir { get; } = dir;
        public CancellationTokenSource Stop { get; } = stop;
        public Task Made { get; set; } = Task.CompletedTask;
        public DateTimeOffset LastUsed { get; set; }
    }

    readonly ConcurrentDictionary<(string Viewer, string Record), Viewing> viewings = new();
    readonly SemaphoreSlim starting = new(1, 1);

    public sealed record Watched(string Id, string Sha256, string Format, double? DurationSeconds);

    /// <summary>The playlist of <paramref name="viewer"/>'s viewing of the record, started if need be;
    /// null when ffmpeg could not make one.</summary>
    public async Task<string?> PlaylistAsync(Core.Accounts.Account viewer, Watched record, CancellationToken ct)
    {
        Sweep();
        Viewing viewing;
        await starting.WaitAsync(ct);
        try
        {
            if (!viewings.TryGetValue((viewer.Id, record.Id), out var existing))
            {
                existing = await StartAsync(viewer, record, ct);
                viewings[(viewer.Id, record.Id)] = existing;
            }
            viewing = existing;
        }
        finally
        {
            starting.Release();
        }
        viewing.LastUsed = clock.GetUtcNow();
        var playlist = viewing.Dir.File(Playlist);
        // The playlist is an event playlist that grows as ffmpeg encodes: answer once it names a segment.
        for (var i = 0; i < 600; i++)
        {
            if (File.Exists(playlist) && (await File.ReadAllTextAsync(playlist, ct)).Contains(".ts", StringComparison.Ordinal))
                return await File.ReadAllTextAsync(playlist, ct);
            if (viewing.Made.IsCompleted) return null;
            await Task.Delay(100, ct);
        }
        return null;
    }

    /// <summary>A segment of the viewer's own viewing; null when there is none.</summary>
    public string? Segment(string viewerId, string recordId, string name)
    {
        if (!viewings.TryGetValue((viewerId, recordId), out var viewing)) return null;
        viewing.LastUsed = clock.GetUtcNow();
        var path = viewing.Dir.File(name);
        return File.Exists(path) ? path : null;
    }

    async Task<Viewing> StartAsync(Core.Accounts.Account viewer, Watched record, CancellationToken ct)
    {
        var format = MediaFormat.ByName(record.Format) ?? throw new InvalidOperationException($"record {record.Id}: unknown format {record.Format}");
        var dir = options.Value.NewJobDir("viewing");
        var input = dir.File("original");
        await JobWorker.DecryptOriginalAsync(vault, record.Id, record.Sha256, input, ct);
        var text = dir.File("watermark.txt");
        var at = RecordingTimes.ToChina(clock.GetUtcNow()).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(text, $"{viewer.DisplayName}  执法证号 {viewer.Badge ?? "—"}  {at} 观看  仅供查看", ct);
        var stop = new CancellationTokenSource();
        var viewing = new Viewing(dir, stop) { LastUsed = clock.GetUtcNow() };
        viewing.Made = Task.Run(async () =>
        {
            try
            {
                var failure = await Watermark.StreamAsync(input, format, dir.File(Playlist), text,
                    TimeSpan.FromHours(4) + TimeSpan.FromSeconds(3 * (record.DurationSeconds ?? 0)), stop.Token);
                if (failure is not null) log.LogWarning("Record {RecordId}: watermarked viewing failed: {Reason}", record.Id, failure);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                // The plaintext original is needed only while encoding.
                File.Delete(input);
            }
        }, CancellationToken.None);
        return viewing;
    }

    /// <summary>Ends viewings idle longer than <see cref="IdleLifetime"/>: ffmpeg stopped, folder deleted.</summary>
    public void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, viewing) in viewings)
            if (now - viewing.LastUsed > IdleLifetime && viewings.TryRemove(key, out _)) End(viewing);
    }

    static void End(Viewing viewing)
    {
        viewing.Stop.Cancel();
        try { viewing.Made.Wait(TimeSpan.FromSeconds(10)); }
        catch (AggregateException) { }
        viewing.Stop.Dispose();
        viewing.Dir.Dispose();
    }

    public void Dispose()
    {
        foreach (var key in viewings.Keys)
            if (viewings.TryRemove(key, out var viewing)) End(viewing);
        starting.Dispose();
    }
}
