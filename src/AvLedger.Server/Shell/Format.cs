using System.Globalization;
using AvLedger.Core.Records;

namespace AvLedger.Server.Shell;

/// <summary>How the web app writes times, sizes and durations: China time, as the regulation works in it.</summary>
public static class Format
{
    public static string ChinaTime(DateTimeOffset t, string pattern = "yyyy-MM-dd HH:mm:ss") =>
        RecordingTimes.ToChina(t).ToString(pattern, CultureInfo.InvariantCulture);

    /// <summary>A time typed in a form (datetime-local, no offset) is China time.</summary>
    public static DateTimeOffset? ParseChinaTime(string text) => RecordingTimes.ParseDeviceTime(text, RecordingTimes.China);

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s) return "—";
        var t = TimeSpan.FromSeconds(Math.Round(s));
        if (t.TotalDays >= 1)
        {
            var days = ((int)t.TotalDays).ToString(CultureInfo.InvariantCulture);
            var rest = t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
            return CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? $"{days} 天 {rest}" : $"{days} d {rest}";
        }
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }
}
