using AvLedger.Media;

namespace AvLedger.Media.Tests;

/// <summary>Real files of every accepted format, made by ffmpeg, recognised by content alone.</summary>
public sealed class MediaSnifferTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("avledger-sniff-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    async Task<byte[]> MakeAsync(string extension, params string[] codecArgs)
    {
        var path = Path.Combine(dir, "clip" + extension);
        string[] args = ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=1",
            "-f", "lavfi", "-i", "sine=duration=1", .. codecArgs, path];
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath, args, default);
        Assert.True(result.ExitCode == 0, $"ffmpeg failed making {extension}: {result.Stderr}");
        // Renamed to a neutral name: recognition must not depend on it.
        var neutral = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".bin");
        File.Move(path, neutral);
        var head = new byte[MediaSniffer.HeadLength];
        await using var f = File.OpenRead(neutral);
        var n = await f.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false);
        return head[..n];
    }

    [Theory]
    [InlineData(".mp4", "mp4", new[] { "-c:v", "libx264", "-c:a", "aac" })]
    [InlineData(".mov", "mov", new[] { "-c:v", "libx264", "-c:a", "aac" })]
    [InlineData(".avi", "avi", new[] { "-c:v", "mjpeg", "-c:a", "pcm_s16le" })]
    [InlineData(".mkv", "mkv", new[] { "-c:v", "libx264", "-c:a", "aac" })]
    [InlineData(".ts", "ts", new[] { "-c:v", "libx264", "-c:a", "aac" })]
    [InlineData(".flv", "flv", new[] { "-c:v", "flv1", "-c:a", "aac" })]
    [InlineData(".wav", "wav", new[] { "-map", "1:a", "-c:a", "pcm_s16le" })]
    [InlineData(".mp3", "mp3", new[] { "-map", "1:a", "-c:a", "libmp3lame" })]
    [InlineData(".aac", "aac", new[] { "-map", "1:a", "-c:a", "aac", "-f", "adts" })]
    [InlineData(".jpg", "jpeg", new[] { "-map", "0:v", "-frames:v", "1" })]
    public async Task Recognises_recorder_formats_by_content(string extension, string expected, string[] codecArgs)
    {
        var head = await MakeAsync(extension, codecArgs);
        Assert.Equal(expected, MediaSniffer.Detect(head)?.Name);
    }

    [Fact]
    public void Recognises_amr_narrowband_by_its_magic()
    {
        Assert.Equal("amr", MediaSniffer.Detect("#!AMR\n\u003c\u0000\u0000"u8)?.Name);
    }

    [Theory]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3")]
    [InlineData("PK\u0003\u0004 zip archive")]
    [InlineData("<!DOCTYPE html><html>")]
    [InlineData("MZ\u0090\u0000 windows executable")]
    [InlineData("plain text notes about a case")]
    public void Rejects_non_media_content(string content)
    {
        Assert.Null(MediaSniffer.Detect(System.Text.Encoding.Latin1.GetBytes(content)));
    }

    [Fact]
    public void A_media_file_name_on_other_bytes_does_not_help()
    {
        Assert.Null(MediaSniffer.Detect(System.Text.Encoding.ASCII.GetBytes("not really video.mp4")));
    }
}
