namespace AvLedger.Media;

/// <summary>Text burned into a picture: who watches, or whom a copy is for.</summary>
public static class Watermark
{
    /// <summary>Fonts that carry Chinese, most preferred first (Debian fonts-noto-cjk).</summary>
    public static readonly IReadOnlyList<string> CjkFonts =
        ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"];

    public static string? CjkFont => CjkFonts.FirstOrDefault(File.Exists);

    /// <summary>An ffmpeg drawtext filter centred at height <paramref name="y"/>. The text is read from
    /// <paramref name="textFile"/>, never put on the command line, so no name can break out of the filter.</summary>
    public static string Filter(string textFile, string y, string fontSize, double textOpacity, double boxOpacity)
    {
        var font = CjkFont;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"drawtext={(font is null ? "" : $"fontfile='{font}':")}textfile='{textFile}':fontcolor=white@{textOpacity}:fontsize={fontSize}:box=1:boxcolor=black@{boxOpacity}:x=(w-text_w)/2:y={y}");
    }
}
