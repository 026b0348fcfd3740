namespace AvLedger.Media;

public enum MediaKind { Video, Audio, Photo }

/// <summary>A container format that recorders write, recognised from the file's first bytes.
/// <see cref="Demuxer"/> is the ffmpeg demuxer forced when reading it, so ffmpeg never guesses a
/// format of its own (a playlist or concat list behind an ID3 tag would name other files).</summary>
public sealed record MediaFormat(string Name, MediaKind Kind, string ContentType, string Extension, string Demuxer)
{
    public static readonly MediaFormat Mp4 = new("mp4", MediaKind.Video, "video/mp4", ".mp4", "mov");
    public static readonly MediaFormat Mov = new("mov", MediaKind.Video, "video/quicktime", ".mov", "mov");
    public static readonly MediaFormat Avi = new("avi", MediaKind.Video, "video/x-msvideo", ".avi", "avi");
    public static readonly MediaFormat Mkv = new("mkv", MediaKind.Video, "video/x-matroska", ".mkv", "matroska");
    public static readonly MediaFormat Ts = new("ts", MediaKind.Video, "video/mp2t", ".ts", "mpegts");
    public static readonly MediaFormat Flv = new("flv", MediaKind.Video, "video/x-flv", ".flv", "flv");
    public static readonly MediaFormat Wav = new("wav", MediaKind.Audio, "audio/wav", ".wav", "wav");
    public static readonly MediaFormat Mp3 = new("mp3", MediaKind.Audio, "audio/mpeg", ".mp3", "mp3");
    public static readonly MediaFormat Aac = new("aac", MediaKind.Audio, "audio/aac", ".aac", "aac");
    public static readonly MediaFormat Amr = new("amr", MediaKind.Audio, "audio/amr", ".amr", "amr");
    // jpeg_pipe reads one picture; image2 would read a numbered sequence of neighbouring files.
    public static readonly MediaFormat Jpeg = new("jpeg", MediaKind.Photo, "image/jpeg", ".jpg", "jpeg_pipe");

    public static IReadOnlyList<MediaFormat> All { get; } = [Mp4, Mov, Avi, Mkv, Ts, Flv, Wav, Mp3, Aac, Amr, Jpeg];

    public static MediaFormat? ByName(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Recognises recorder formats by content, never by file name.</summary>
public static class MediaSniffer
{
    /// <summary>Bytes needed to decide; fewer may do for short files.</summary>
    public const int HeadLength = 512;

    public static MediaFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
            return head.Slice(8, 4).SequenceEqual("qt  "u8) ? MediaFormat.Mov : MediaFormat.Mp4;
        // QuickTime files without ftyp start with a moov/mdat/wide/free atom.
        if (head.Length >= 8 && (head.Slice(4, 4).SequenceEqual("moov"u8) || head.Slice(4, 4).SequenceEqual("mdat"u8) || head.Slice(4, 4).SequenceEqual("wide"u8)))
            return MediaFormat.Mov;
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8))
        {
            if (head.Slice(8, 4).SequenceEqual("AVI "u8)) return MediaFormat.Avi;
            if (head.Slice(8, 4).SequenceEqual("WAVE"u8)) return MediaFormat.Wav;
            return null;
        }
        if (head.Length >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3) return MediaFormat.Mkv;
        if (head.Length >= 4 && head[..3].SequenceEqual("FLV"u8) && head[3] == 1) return MediaFormat.Flv;
        if (head.Length >= 5 && head[..5].SequenceEqual("#!AMR"u8)) return MediaFormat.Amr;
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return MediaFormat.Jpeg;
        if (IsTransportStream(head)) return MediaFormat.Ts;
        if (head.Length >= 3 && head[..3].SequenceEqual("ID3"u8)) return MediaFormat.Mp3;
        if (head.Length >= 4 && head[0] == 0xFF && (head[1] & 0xF6) == 0xF0) return MediaFormat.Aac; // ADTS sync, layer 0
        if (head.Length >= 4 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0 && (head[2] & 0xF0) != 0xF0) return MediaFormat.Mp3;
        return null;
    }

    // MPEG-TS: a sync byte every 188 bytes (192 for M2TS with a 4-byte timestamp prefix).
    static bool IsTransportStream(ReadOnlySpan<byte> head)
    {
        foreach (var (start, stride) in new[] { (0, 188), (4, 192) })
        {
            var packets = 0;
            for (var i = start; i < head.Length; i += stride)
            {
                if (head[i] != 0x47) { packets = -1; break; }
                packets++;
            }
            if (packets >= 2) return true;
        }
        return false;
    }
}
