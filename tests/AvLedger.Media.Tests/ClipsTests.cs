namespace AvLedger.Media.Tests;

/// <summary>Art. 3: how a clip is cut — stream copy when that lands on the asked range, re-encoding when not.</summary>
public sealed class ClipsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("avledger-clips-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    async Task<string> SampleAsync() => (await SampleClips.WriteAsync(dir, "DSJ-0008", "500888", DateTimeOffset.UtcNow, 10, default)).Path;

    [Fact]
    public async Task A_cut_starting_on_a_key_frame_is_a_stream_copy_of_the_asked_length()
    {
        // The samples have a key frame every two seconds.
        var output = Path.Combine(dir, "copy.mp4");
        var result = await Clips.CutAsync(await SampleAsync(), MediaFormat.Mp4, output, 4, 8, hasVideo: true, "REC", new string('a', 64), default);
        Assert.Equal(Clips.Method.StreamCopy, result.Method);
        Assert.InRange((await MediaProbe.ProbeAsync(output, MediaFormat.Mp4, default)).DurationSeconds ?? 0, 4 - Clips.Tolerance, 4 + Clips.Tolerance);
    }

    [Fact]
    public async Task A_cut_between_key_frames_is_re_encoded_to_the_exact_range_and_still_labelled()
    {
        var output = Path.Combine(dir, "encoded.mp4");
        var result = await Clips.CutAsync(await SampleAsync(), MediaFormat.Mp4, output, 3, 6, hasVideo: true, "REC", new string('b', 64), default);
        Assert.Equal(Clips.Method.Reencode, result.Method);
        var info = await MediaProbe.ProbeAsync(output, MediaFormat.Mp4, default);
        Assert.Equal("h264", info.VideoCodec);
        Assert.Equal("aac", info.AudioCodec);
        Assert.InRange(info.DurationSeconds ?? 0, 3 - 0.2, 3 + 0.2);
        var tags = await Clips.TagsAsync(output, default);
        Assert.Equal(Clips.Provenance("REC", new string('b', 64)), tags["comment"]);
        Assert.Equal(Clips.Provenance("REC", new string('b', 64)), tags["description"]);
        Assert.StartsWith(Clips.Label, tags["title"], StringComparison.Ordinal);
    }
}
