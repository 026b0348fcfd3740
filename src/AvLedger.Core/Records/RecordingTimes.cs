using System.Globalization;
using System.Text.RegularExpressions;

namespace AvLedger.Core.Records;

/// <summary>The time rules of Art. 12 and 13, in the conventions of DESIGN.md: recording days and
/// retention dates are calendar days in Asia/Shanghai.</summary>
public static partial class RecordingTimes
{
    public static readonly TimeZoneInfo China = FindZone("Asia/Shanghai");

    public static TimeZoneInfo FindZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) when (id == "Asia/Shanghai") { return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id); }
    }

    public const int MinimumRetentionDays = 180;
    public static readonly TimeSpan SaveDeadline = TimeSpan.FromHours(24);

    public static DateOnly RecordingDay(DateTimeOffset recordedStart) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(recordedStart, China).DateTime);

    // Art. 13: kept at least 180 days from the day of recording.
    public static DateOnly RetainUntil(DateTimeOffset recordedStart, int categoryDays = MinimumRetentionDays) =>
        RecordingDay(recordedStart).AddDays(Math.Max(MinimumRetentionDays, categoryDays));

    // Art. 12: saved within 24 hours after recording ends.
    public static bool IsLateSave(DateTimeOffset recordedEnd, DateTimeOffset savedAt) => savedAt - recordedEnd > SaveDeadline;

    /// <summary>Reads an RFC 3339 time; a device time without an offset is in the device's zone.</summary>
    public static DateTimeOffset? ParseDeviceTime(string? text, TimeZoneInfo deviceZone)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var parsed))
            return null;
        return parsed.Kind switch
        {
            DateTimeKind.Utc => new DateTimeOffset(parsed, TimeSpan.Zero),
            DateTimeKind.Local => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
            _ => new DateTimeOffset(parsed, deviceZone.GetUtcOffset(parsed)),
        };
    }

    [GeneratedRegex(@"(?<!\d)(20\d{2})(\d{2})(\d{2})[_-]?(\d{2})(\d{2})(\d{2})(?!\d)")]
    private static partial Regex FileNameTime();

    /// <summary>Recorders name files like DSJ-0001_500101_20261126093000.mp4, in device local time.</summary>
    public static DateTimeOffset? FromFileName(string fileName, TimeZoneInfo deviceZone)
    {
        var m = FileNameTime().Match(fileName);
        if (!m.Success) return null;
        var text = string.Concat(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value, m.Groups[6].Value);
        if (!DateTime.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return new DateTimeOffset(local, deviceZone.GetUtcOffset(local));
    }

    public static DateTimeOffset ToChina(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, China);
}
