using System.Globalization;
using System.Text.Json;

namespace AvLedger.Media;

/// <summary>Art. 3 (R-3b): a clip cut from a record. A clip is a derivative, not an enforcement AV
/// record, and says so inside its own file (title, comment and description), so the label travels
/// with the bytes wherever they are copied.</summary>
/// <remarks>
/// How a clip is cut: first by stream copy (<c>-ss start -to end -i original -c copy
/// -avoid_negative_ts make_zero</c>), which keeps the original's pictures and sound untouched. A
/// stream copy can only begin on a key frame, so it starts at the key frame at or before
/// <c>start</c>; recorders write one every one to two seconds. The copy is kept when ffmpeg
/// succeeds and the clip's length is within <see cref="Tolerance"/> of what was asked; otherwise
/// (a cut between key frames, or a codec MP4 cannot carry) the range is re-encoded to H.264/AAC,
/// which cuts at the exact frame.
/// </remarks>
public static class Clips
{
    /// <summary>How far a stream-copied clip's length may stray from end − start before it is re-encoded instead.</summary>
    public const double Tolerance = 0.5;

    public const string Label = "非执法音像记录";
    public const string LabelEn = "not an enforcement AV record";

    public enum Method { StreamCopy, Reencode }

    public sealed record Result(Method Method, double? DurationSeconds);

    /// <summary>The text written into the clip's comment and description.</summary>
    public static string Provenance(string recordId, string sha256) =>
        $"{Label} / {LabelEn}; derived from record {recordId} sha256 {sha256}";

    public static string Title(string recordId, double start, double end) =>
        string.Create(CultureInfo.InvariantCulture, $"{Label} 片段 / clip {start:0.###}–{end:0.###} s of record {recordId}");

    /// <summary>Cuts [<paramref name="start"/>, <paramref name="end"/>) seconds of <paramref name="input"/>
    /// into an MP4 at <paramref name="output"/>, labelled as a derivative of the record.</summary>
    public static async Task<Result> CutAsync(string input, MediaFormat format, string output, double start, double end, bool hasVideo,
        string recordId, string sha256, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        var wanted = end - start;
        string[] range = ["-ss", Seconds(start), "-to", Seconds(end)];
        string[] label = ["-metadata", $"title={Title(recordId, start, end)}", "-metadata", $"comment={Provenance(recordId, sha256)}",
            "-metadata", $"description={Provenance(recordId, sha256)}"];
        var timeout = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(3 * wanted);

        // -y truncates an existing output in place, so a file the caller made private stays private.
        var copy = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
            ["-nostdin", "-v", "error", "-y", .. range, .. Ffmpeg.Input(input, format), "-map", "0:v:0?", "-map", "0:a:0?", "-sn", "-dn",
             "-c", "copy", "-avoid_negative_ts", "make_zero", .. label, "-movflags", "+faststart", "-f", "mp4", output], ct, timeout);
        if (copy.ExitCode == 0 && File.Exists(output) && new FileInfo(output).Length > 0)
        {
            double? duration;
            try { duration = (await MediaProbe.ProbeAsync(output, MediaFormat.Mp4, ct)).DurationSeconds; }
            catch (MediaProbeException) { duration = null; }
            if (duration is { } d && Math.Abs(d - wanted) <= Tolerance) return new Result(Method.StreamCopy, d);
        }

        List<string> args = ["-nostdin", "-v", "error", "-y", .. range, .. Ffmpeg.Input(input, format), "-map", "0:v:0?", "-map", "0:a:0?", "-sn", "-dn"];
        if (hasVideo)
            args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"]);
        else
            args.Add("-vn");
        args.AddRange(["-c:a", "aac", "-b:a", "128k", "-avoid_negative_ts", "make_zero", .. label, "-movflags", "+faststart", "-f", "mp4", output]);
        var encoded = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath, args, ct, timeout);
        if (encoded.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
            throw new MediaProbeException(string.Create(CultureInfo.InvariantCulture, $"ffmpeg could not cut the clip (exit {encoded.ExitCode}): {Ffmpeg.Tail(encoded.Stderr)}"));
        return new Result(Method.Reencode, (await MediaProbe.ProbeAsync(output, MediaFormat.Mp4, ct)).DurationSeconds);
    }

    static string Seconds(double s) => s.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>The container's tags (title, comment, description…) of an MP4 (a clip or rendition), as ffprobe reads them.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> TagsAsync(string path, CancellationToken ct)
    {
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfprobePath, ["-v", "error", "-print_format", "json", "-show_format", .. Ffmpeg.Input(path, MediaFormat.Mp4)], ct, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0) throw new MediaProbeException($"ffprobe failed: {Ffmpeg.Tail(result.Stderr)}");
        using var doc = JsonDocument.Parse(Ffmpeg.Utf8(result.Stdout));
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("format", out var format) && format.TryGetProperty("tags", out var t))
            foreach (var p in t.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) tags[p.Name] = p.Value.GetString()!;
        return tags;
    }
}
