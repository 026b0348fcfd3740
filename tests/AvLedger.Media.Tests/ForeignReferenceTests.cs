using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AvLedger.Media.Tests;

/// <summary>Media tools read only what they are given: a recording that is really a playlist or a
/// concat list naming other files (an ID3 tag in front makes it pass as MP3) must not make ffmpeg or
/// ffprobe read those files or connect anywhere.</summary>
public sealed class ForeignReferenceTests : IAsyncLifetime
{
    readonly string dir = Directory.CreateTempSubdirectory("avledger-foreign-").FullName;
    string other = "";

    /// <summary>Another officer's recording: two seconds of video the attacker wants to read.</summary>
    public async Task InitializeAsync() =>
        other = (await SampleClips.WriteAsync(Path.Combine(dir, "others"), "DSJ-0900", "500900", DateTimeOffset.UtcNow, 2, default)).Path;

    public Task DisposeAsync()
    {
        Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A minimal ID3v2.3 tag (one title frame): what makes the file sniff as MP3.</summary>
    static byte[] Id3()
    {
        byte[] frame = [.. "TIT2"u8, 0, 0, 0, 5, 0, 0, 0, .. "abcd"u8];
        var n = frame.Length;
        return [.. "ID3"u8, 3, 0, 0, (byte)((n >> 21) & 0x7F), (byte)((n >> 14) & 0x7F), (byte)((n >> 7) & 0x7F), (byte)(n & 0x7F), .. frame];
    }

    string Crafted(string name, string body)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, [.. Id3(), .. Encoding.UTF8.GetBytes(body)]);
        Assert.Equal(MediaFormat.Mp3, MediaSniffer.Detect(File.ReadAllBytes(path)));
        return path;
    }

    static string Hls(string segment) =>
        $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n{segment}\n#EXT-X-ENDLIST\n";

    static async Task<MediaInfo?> ProbeOrNullAsync(string path)
    {
        try { return await MediaProbe.ProbeAsync(path, MediaFormat.Mp3, default); }
        catch (MediaProbeException) { return null; }
    }

    /// <summary>What the rendition of <paramref name="path"/> holds, or null when none could be made.</summary>
    async Task<MediaInfo?> RenditionOrNullAsync(string path)
    {
        var output = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".mp4");
        try
        {
            await Renditions.MakeAsync(path, MediaFormat.Mp3, output, hasVideo: true, 2, "REC", new string('c', 64), default);
            return await MediaProbe.ProbeAsync(output, MediaFormat.Mp4, default);
        }
        catch (MediaProbeException)
        {
            return null;
        }
    }

    [Fact]
    public async Task An_mp3_holding_an_hls_playlist_naming_another_file_neither_probes_nor_renders_that_file()
    {
        var evil = Crafted("evil.mp3", Hls(new Uri(other).AbsoluteUri));
        Assert.Null((await ProbeOrNullAsync(evil))?.VideoCodec);
        Assert.Null((await RenditionOrNullAsync(evil))?.VideoCodec);
    }

    [Fact]
    public async Task An_mp3_holding_an_ffconcat_list_naming_a_neighbouring_file_neither_probes_nor_renders_it()
    {
        File.Copy(other, Path.Combine(dir, "neighbour.mp4"));
        var evil = Crafted("concat.mp3", "ffconcat version 1.0\nfile neighbour.mp4\n");
        Assert.Null((await ProbeOrNullAsync(evil))?.VideoCodec);
        Assert.Null((await RenditionOrNullAsync(evil))?.VideoCodec);
    }

    [Fact]
    public async Task A_thumbnail_is_made_only_from_the_recognised_format_never_from_a_playlist()
    {
        File.Copy(other, Path.Combine(dir, "neighbour.mp4"));
        var evil = Crafted("thumb.mp3", "ffconcat version 1.0\nfile neighbour.mp4\n");
        // Even a caller that wrongly asks for a picture gets none: the file is read as what it was recognised as.
        Assert.Null(await Thumbnails.MakeAsync(evil, MediaFormat.Mp4, 2, default));
    }

    /// <remarks>ffmpeg 5.1 itself limits what a playlist opened from a local file may name to
    /// file, crypto and data; this guards that our own whitelist never widens it.</remarks>
    [Fact]
    public async Task An_http_reference_in_a_playlist_makes_no_connection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Each connection is counted and closed at once, so a tool that does connect fails fast.
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
            }
        });
        var evil = Crafted("http.mp3", Hls($"http://127.0.0.1:{port}/segment.ts"));
        var concat = Crafted("http-concat.mp3", $"ffconcat version 1.0\nfile http://127.0.0.1:{port}/segment.mp4\n");
        foreach (var path in new[] { evil, concat })
        {
            await ProbeOrNullAsync(path);
            await RenditionOrNullAsync(path);
        }
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        Assert.Equal(0, connections);
    }
}
