namespace AvLedger.Media;

public static class Thumbnails
{
    /// <summary>A 320-pixel-wide JPEG: a frame a second in (or the first, for short clips), or the
    /// photo itself scaled. Null for audio and for files ffmpeg cannot decode.</summary>
    public static async Task<byte[]?> MakeAsync(string path, MediaFormat format, double? durationSeconds, CancellationToken ct)
    {
        var kind = format.Kind;
        if (kind == MediaKind.Audio) return null;
        var seek = kind == MediaKind.Video && durationSeconds > 2 ? "1" : "0";
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
            ["-nostdin", "-v", "error", "-ss", seek, .. Ffmpeg.Input(path, format), "-frames:v", "1", "-vf", "scale=320:-2",
             "-f", "image2", "-c:v", "mjpeg", "-q:v", "5", "pipe:1"], ct, TimeSpan.FromMinutes(2));
        return result.ExitCode == 0 && result.Stdout.Length > 0 ? result.Stdout : null;
    }
}
