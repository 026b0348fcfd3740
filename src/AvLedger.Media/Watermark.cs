namespace AvLedger.Media;

/// <summary>Text burned into a picture: who watches, or whom a copy is for.</summary>
public static class Watermark
{
    /// <summary>Fonts that carry Chinese, most preferred first (Debian fonts-noto-cjk).</summary>
    public static readonly IReadOnlyList<string> CjkFonts =
        ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"];

    public static string? CjkFont => CjkFonts.FirstOrDefault(File.Exists);

    /// <summary>A viewing copy for someone outside (an evidence package): the text of <paramref name="textFile"/>
    /// burned in near the bottom, re-encoded to H.264/AAC, titled as not a record and naming the original it
    /// came from.</summary>
    public static async Task CopyAsync(string input, MediaFormat format, string output, string textFile, string title,
        string recordId, string sha256, CancellationToken ct)
    {
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
        [
            "-nostdin", "-v", "error", "-y", .. Ffmpeg.Input(input, format), "-map", "0:v:0", "-map", "0:a?",
            "-vf", Filter(textFile, "h-2*text_h", "h/24", 0.8, 0.4),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
            "-metadata", $"title={title}", "-metadata", $"comment={Clips.Provenance(recordId, sha256)}",
            "-movflags", "+faststart", output,
        ], ct, TimeSpan.FromHours(2));
        if (result.ExitCode != 0) throw new InvalidOperationException($"watermarking record {recordId} failed: {Ffmpeg.Tail(result.Stderr)}");
    }

    /// <summary>A viewing for someone inside: an HLS event stream (<paramref name="playlist"/> and its segments
    /// beside it) with the text of <paramref name="textFile"/> burned in twice, top and bottom, large and
    /// half-transparent, so cropping one leaves the other. Returns ffmpeg's failure text, or null.</summary>
    public static async Task<string?> StreamAsync(string input, MediaFormat format, string playlist, string textFile,
        TimeSpan timeout, CancellationToken ct)
    {
        string Draw(string y) => Filter(textFile, y, "h/16", 0.6, 0.35);
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
        [
            "-nostdin", "-v", "error", "-y", .. Ffmpeg.Input(input, format), "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn",
            "-vf", $"scale=trunc(iw/2)*2:trunc(ih/2)*2,{Draw("h/12")},{Draw("h-h/12-text_h")}",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
            "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "event",
            "-hls_segment_filename", Path.Combine(Path.GetDirectoryName(playlist)!, "seg%d.ts"), playlist,
        ], ct, timeout);
        return result.ExitCode == 0 ? null : Ffmpeg.Tail(result.Stderr);
    }

    /// <summary>An ffmpeg drawtext filter centred at height <paramref name="y"/>. The text is read from
    /// <paramref name="textFile"/>, never put on the command line, so no name can break out of the filter.</summary>
    public static string Filter(string textFile, string y, string fontSize, double textOpacity, double boxOpacity)
    {
        var font = CjkFont;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"drawtext={(font is null ? "" : $"fontfile='{font}':")}textfile='{textFile}':fontcolor=white@{textOpacity}:fontsize={fontSize}:box=1:boxcolor=black@{boxOpacity}:x=(w-text_w)/2:y={y}");
    }
}
