using System.Globalization;

namespace AvLedger.Media;

/// <summary>Synthetic body-worn-recorder clips for demos and tests: H.264/AAC MP4, 1280×720, with
/// the device code, officer badge and a running clock burned in and creation_time set.</summary>
public static class SampleClips
{
    public sealed record Clip(string Path, string DeviceCode, string OfficerBadge, DateTimeOffset RecordedStart, int Seconds);

    static readonly string[] FontCandidates = [.. Watermark.CjkFonts, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"];

    static readonly string[] H264 = ["-c:v", "libx264", "-preset", "veryfast"];
    static readonly string[] Hevc = ["-c:v", "libx265", "-preset", "veryfast", "-x265-params", "log-level=error", "-tag:v", "hvc1"];

    /// <summary>A stand-in for a scanned, signed paper form (demos): a white A4-shaped PNG with the given lines.</summary>
    public static async Task<string> WriteScanAsync(string path, IReadOnlyList<string> lines, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var font = FontCandidates.FirstOrDefault(File.Exists);
        var fontOption = font is null ? "" : $"fontfile='{font}':";
        var filter = string.Join(',', lines.Select((line, i) =>
            $"drawtext={fontOption}text='{line.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "’", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal)}':fontcolor=black:fontsize=32:x=80:y={100 + i * 60}"));
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
            ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=white:s=1240x1754", "-vf", filter, "-frames:v", "1", path], ct, TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make the scan: {Ffmpeg.Tail(result.Stderr)}");
        return path;
    }

    public static string FileName(string deviceCode, string badge, DateTimeOffset startLocal) =>
        $"{deviceCode}_{badge}_{startLocal.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.mp4";

    /// <summary>Writes one clip; <paramref name="hevc"/> makes it H.265 (hvc1), as many recorders
    /// write and browsers cannot play, so it needs a web rendition.</summary>
    public static async Task<Clip> WriteAsync(string dir, string deviceCode, string badge, DateTimeOffset start, int seconds, CancellationToken ct, bool hevc = false, string size = "1280x720")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        Directory.CreateDirectory(dir);
        var local = start.ToOffset(TimeSpan.FromHours(8));
        var path = Path.Combine(dir, FileName(deviceCode, badge, local));
        // Shift the epoch by the local offset so gmtime prints Beijing time, as recorders do.
        var epoch = local.ToUnixTimeSeconds() + (long)local.Offset.TotalSeconds;
        var font = FontCandidates.FirstOrDefault(File.Exists);
        var fontOption = font is null ? "" : $"fontfile='{font}':";
        var label = font is not null && font.Contains("CJK", StringComparison.Ordinal) ? "执法记录仪 " : "";
        string Text(string text, string y, int size) =>
            $"drawtext={fontOption}text='{text}':fontcolor=white:fontsize={size}:box=1:boxcolor=black@0.5:x=24:y={y}";
        var filter = string.Join(',',
            Text($"{label}{deviceCode}  执法证号 {badge}".Replace(":", "\\:", StringComparison.Ordinal), "24", 36),
            Text($"%{{pts\\:gmtime\\:{epoch}\\:%Y-%m-%d %T}}", "72", 36));
        var creation = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
        [
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-vf", filter,
            .. (hevc ? Hevc : H264),
            "-pix_fmt", "yuv420p", "-g", "50",
            "-c:a", "aac", "-b:a", "96k",
            "-metadata", $"creation_time={creation}",
            "-metadata", $"comment=AvLedger sample {deviceCode} {badge}",
            "-movflags", "+faststart", "-shortest",
            path,
        ], ct, TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make the sample: {Ffmpeg.Tail(result.Stderr)}");
        return new Clip(path, deviceCode, badge, start, seconds);
    }

    /// <summary>Another clip with the same pictures and sound, said to come from another device, officer and
    /// start: a remux (no encoding) with new creation times and comment, so its bytes differ from every other
    /// clip's. Tests and demos that need many distinct recordings pay for one encode.</summary>
    public static async Task<Clip> RestampAsync(Clip template, string dir, string deviceCode, string badge, DateTimeOffset start, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, FileName(deviceCode, badge, start.ToOffset(TimeSpan.FromHours(8))));
        var creation = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
        [
            "-nostdin", "-v", "error", "-y", "-i", template.Path, "-map", "0", "-c", "copy",
            "-metadata", $"creation_time={creation}", "-metadata:s", $"creation_time={creation}",
            "-metadata", $"comment=AvLedger sample {deviceCode} {badge}",
            "-movflags", "+faststart", path,
        ], ct, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not restamp the sample: {Ffmpeg.Tail(result.Stderr)}");
        return new Clip(path, deviceCode, badge, start, template.Seconds);
    }

    /// <summary>Several clips from a few devices and officers, in the recent past, ten minutes apart.</summary>
    public static async Task<IReadOnlyList<Clip>> WriteManyAsync(string dir, int count, int seconds, DateTimeOffset now,
        IReadOnlyList<(string Device, string Badge)> crews, IProgress<int>? progress, CancellationToken ct)
    {
        var clips = new List<Clip>();
        var first = now.AddSeconds(-(count * (seconds + 600)));
        first = first.AddTicks(-(first.Ticks % TimeSpan.TicksPerSecond));
        for (var i = 0; i < count; i++)
        {
            var (device, badge) = crews[i % crews.Count];
            clips.Add(await WriteAsync(dir, device, badge, first.AddSeconds(i * (seconds + 600)), seconds, ct));
            progress?.Report(i + 1);
        }
        return clips;
    }
}
