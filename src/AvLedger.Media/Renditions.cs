using System.Globalization;

namespace AvLedger.Media;

/// <summary>Web renditions: an H.264/AAC MP4 (moov first, so playback starts at once and seeks by
/// Range) made from an original that browsers cannot play, such as the H.265 many recorders write.
/// A rendition is a derivative for viewing; it never replaces the original.</summary>
public static class Renditions
{
    public const string ContentType = "video/mp4";

    public static async Task MakeAsync(string input, MediaFormat format, string output, bool hasVideo, double? durationSeconds, string recordId, string sha256, CancellationToken ct)
    {
        List<string> args = ["-nostdin", "-v", "error", "-y", .. Ffmpeg.Input(input, format), "-map", "0:v:0?", "-map", "0:a:0?", "-sn", "-dn"];
        if (hasVideo)
            // Even dimensions and yuv420p: what every browser's H.264 decoder accepts.
            args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"]);
        else
            args.Add("-vn");
        // Art. 3: the file itself says it is not a record, wherever it ends up.
        args.AddRange(["-metadata", $"title={Clips.Label} 网页播放件 / web rendition of record {recordId}", "-metadata", $"comment={Clips.Provenance(recordId, sha256)}",
            "-metadata", $"description={Clips.Provenance(recordId, sha256)}"]);
        args.AddRange(["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4", output]);
        // Transcoding runs at several times real time even on small machines; allow ample slack.
        var timeout = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(3 * (durationSeconds ?? 0));
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath, args, ct, timeout);
        if (result.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
            throw new MediaProbeException(string.Create(CultureInfo.InvariantCulture, $"ffmpeg could not make a web rendition (exit {result.ExitCode}): {Ffmpeg.Tail(result.Stderr)}"));
    }
}
