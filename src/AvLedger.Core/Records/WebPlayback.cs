namespace AvLedger.Core.Records;

/// <summary>What a current browser (Chromium without proprietary H.265 support) plays as is.</summary>
public static class WebPlayback
{
    static readonly HashSet<string> Containers = ["mp4", "mp3", "wav", "aac", "jpeg"];
    static readonly HashSet<string> VideoCodecs = ["h264", "vp8", "vp9", "av1", "mjpeg"];
    static readonly HashSet<string> AudioCodecs = ["aac", "mp3", "opus", "vorbis", "flac", "pcm_s16le", "pcm_u8", "pcm_s24le", "pcm_f32le"];

    public static bool PlaysOriginal(Record record) =>
        Containers.Contains(record.Format)
        && (record.VideoCodec is null || VideoCodecs.Contains(record.VideoCodec))
        && (record.AudioCodec is null || AudioCodecs.Contains(record.AudioCodec));

    /// <summary>What a player plays for one who may copy the record: the original when the browser plays it,
    /// else its web rendition once ready; null while there is none.</summary>
    public static Stream? StreamOf(Record record) =>
        PlaysOriginal(record) || record.Rendition == RenditionState.NotNeeded ? new($"/api/v1/records/{record.Id}/content", false)
        : record.Rendition == RenditionState.Ready ? new($"/api/v1/records/{record.Id}/rendition", true)
        : null;

    public sealed record Stream(string Url, bool Rendition);

    /// <summary>A video or audio original the browser cannot play needs a rendition; a file that
    /// ffprobe could not read at all has nothing to transcode.</summary>
    public static RenditionState InitialState(Record record) =>
        record.MediaKind is "video" or "audio" && (record.VideoCodec ?? record.AudioCodec) is not null && !PlaysOriginal(record)
            ? RenditionState.Pending
            : RenditionState.NotNeeded;
}
