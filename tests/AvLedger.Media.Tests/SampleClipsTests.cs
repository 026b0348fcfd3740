using AvLedger.Media;

namespace AvLedger.Media.Tests;

public sealed class SampleClipsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("avledger-samples-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task A_sample_is_a_720p_h264_aac_mp4_with_creation_time_and_a_recorder_style_name()
    {
        var start = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.FromHours(8));
        var clip = await SampleClips.WriteAsync(dir, "DSJ-0007", "500777", start, 3, default);

        Assert.Equal("DSJ-0007_500777_20261120093000.mp4", Path.GetFileName(clip.Path));
        var info = await MediaProbe.ProbeAsync(clip.Path, MediaFormat.Mp4, default);
        Assert.Equal("h264", info.VideoCodec);
        Assert.Equal("aac", info.AudioCodec);
        Assert.Equal((1280, 720), (info.Width, info.Height));
        Assert.Equal(start, info.CreationTime);
        Assert.InRange(info.DurationSeconds ?? 0, 2.9, 3.2);
        Assert.Contains("mp4", info.FormatName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restamped_sample_is_another_recording_of_the_same_pictures_with_its_own_start()
    {
        var start = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.FromHours(8));
        var encoded = await SampleClips.WriteAsync(Path.Combine(dir, "encoded"), "DSJ-0007", "500777", start, 2, default);
        var later = start.AddHours(3);
        var copy = await SampleClips.RestampAsync(encoded, Path.Combine(dir, "copy"), "DSJ-0008", "500888", later, default);

        Assert.Equal("DSJ-0008_500888_20261120123000.mp4", Path.GetFileName(copy.Path));
        Assert.NotEqual(await File.ReadAllBytesAsync(encoded.Path), await File.ReadAllBytesAsync(copy.Path));
        var info = await MediaProbe.ProbeAsync(copy.Path, MediaFormat.Mp4, default);
        Assert.Equal(later, info.CreationTime);
        Assert.Equal(("h264", "aac"), (info.VideoCodec, info.AudioCodec));
        Assert.InRange(info.DurationSeconds ?? 0, 1.9, 2.2);
    }

    [Fact]
    public async Task The_burned_in_overlay_changes_the_picture()
    {
        // Two clips differing only in device code must differ in their pixels.
        var start = DateTimeOffset.UtcNow;
        var a = await SampleClips.WriteAsync(Path.Combine(dir, "a"), "DSJ-0001", "500101", start, 1, default);
        var b = await SampleClips.WriteAsync(Path.Combine(dir, "b"), "DSJ-9999", "500101", start, 1, default);
        var frameA = await Thumbnails.MakeAsync(a.Path, MediaFormat.Mp4, 1, default);
        var frameB = await Thumbnails.MakeAsync(b.Path, MediaFormat.Mp4, 1, default);
        Assert.NotNull(frameA);
        Assert.NotNull(frameB);
        Assert.NotEqual(frameA, frameB);
    }

    [Fact]
    public async Task Probing_non_media_fails_with_a_clear_error()
    {
        var path = Path.Combine(dir, "notes.mp4");
        await File.WriteAllTextAsync(path, "these are not frames");
        var e = await Assert.ThrowsAsync<MediaProbeException>(() => MediaProbe.ProbeAsync(path, MediaFormat.Mp4, default));
        Assert.Contains("ffprobe failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_output_is_parsed_including_stream_level_creation_time()
    {
        const string json = """
        {"streams":[{"codec_type":"video","codec_name":"hevc","width":1920,"height":1080,"duration":"12.5",
          "tags":{"creation_time":"2026-03-01T02:03:04.000000Z"}},{"codec_type":"audio","codec_name":"aac"}],
         "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2"}}
        """;
        var info = MediaProbe.Parse(json);
        Assert.Equal("hevc", info.VideoCodec);
        Assert.Equal(12.5, info.DurationSeconds);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 2, 3, 4, TimeSpan.Zero), info.CreationTime);
        Assert.Equal(2, info.StreamCount);
    }
}
