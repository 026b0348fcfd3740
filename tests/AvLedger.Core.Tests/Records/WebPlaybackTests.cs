using AvLedger.Core.Records;
using Record = AvLedger.Core.Records.Record;

namespace AvLedger.Core.Tests.Records;

public sealed class WebPlaybackTests
{
    static Record Recording(string format, string? video, RenditionState rendition) => new()
    {
        Id = "r1", Sha256 = "", FileName = "a." + format, Format = format, MediaKind = "video", ContentType = "video/" + format,
        RecordedStartSource = RecordedTimeSources.Container, UploadedById = "u", UploadChannel = "web", VideoCodec = video, Rendition = rendition,
    };

    [Fact]
    public void An_original_the_browser_plays_is_played_as_is()
    {
        Assert.Equal(new WebPlayback.Stream("/api/v1/records/r1/content", false), WebPlayback.StreamOf(Recording("mp4", "h264", RenditionState.NotNeeded)));
    }

    [Fact]
    public void An_original_the_browser_cannot_play_plays_its_rendition_once_ready_and_nothing_before()
    {
        Assert.Equal(new WebPlayback.Stream("/api/v1/records/r1/rendition", true), WebPlayback.StreamOf(Recording("mp4", "hevc", RenditionState.Ready)));
        Assert.Null(WebPlayback.StreamOf(Recording("mp4", "hevc", RenditionState.Pending)));
        Assert.Null(WebPlayback.StreamOf(Recording("mp4", "hevc", RenditionState.Failed)));
    }
}
