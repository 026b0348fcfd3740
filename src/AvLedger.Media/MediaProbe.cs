using System.Globalization;
using System.Text.Json;

namespace AvLedger.Media;

/// <summary>What ffprobe reads from a recording's own container.</summary>
public sealed record MediaInfo(
    string? FormatName,
    double? DurationSeconds,
    DateTimeOffset? CreationTime,
    string? VideoCodec,
    int? Width,
    int? Height,
    string? AudioCodec,
    int StreamCount);

public static class MediaProbe
{
    public static async Task<MediaInfo> ProbeAsync(string path, MediaFormat format, CancellationToken ct)
    {
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfprobePath,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", .. Ffmpeg.Input(path, format)], ct, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0) throw new MediaProbeException($"ffprobe failed: {Ffmpeg.Tail(result.Stderr)}");
        return Parse(Ffmpeg.Utf8(result.Stdout));
    }

    public static MediaInfo Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? formatName = null;
        double? duration = null;
        DateTimeOffset? created = null;
        if (root.TryGetProperty("format", out var format))
        {
            formatName = Str(format, "format_name");
            duration = Num(format, "duration");
            created = CreationTime(format);
        }
        string? videoCodec = null, audioCodec = null;
        int? width = null, height = null;
        var count = 0;
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var s in streams.EnumerateArray())
            {
                count++;
                switch (Str(s, "codec_type"))
                {
                    case "video" when videoCodec is null:
                        videoCodec = Str(s, "codec_name");
                        width = s.TryGetProperty("width", out var w) ? w.GetInt32() : null;
                        height = s.TryGetProperty("height", out var h) ? h.GetInt32() : null;
                        duration ??= Num(s, "duration");
                        created ??= CreationTime(s);
                        break;
                    case "audio" when audioCodec is null:
                        audioCodec = Str(s, "codec_name");
                        duration ??= Num(s, "duration");
                        break;
                }
            }
        }
        return new MediaInfo(formatName, duration, created, videoCodec, width, height, audioCodec, count);
    }

    static DateTimeOffset? CreationTime(JsonElement e) =>
        e.TryGetProperty("tags", out var tags) && Str(tags, "creation_time") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
        && t.Year > 1970 ? t : null;

    static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static double? Num(JsonElement e, string name) =>
        Str(e, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}

public sealed class MediaProbeException(string message) : Exception(message);
