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

    /// <summary>What the rules take a record's start to be, and how sure they are of it.</summary>
    public sealed record Decided(DateTimeOffset Start, string Source, DateTimeOffset? Claimed, bool Discrepancy);

    /// <summary>
    /// Facts come from the evidence, not from the person judged (Art. 12, 13): the media's own creation
    /// time is authoritative and the uploader's claim (typed, else in the file name they chose) is only
    /// kept beside it, flagged when it differs by more than <paramref name="tolerance"/>. With no time in
    /// the media the claim is used, marked unconfirmed; with neither the time is unknown and
    /// <paramref name="placeholder"/> stands in until a head confirms one.
    /// </summary>
    public static Decided Decide(DateTimeOffset? mediaTime, DateTimeOffset? typed, DateTimeOffset? fromFileName, TimeSpan tolerance, DateTimeOffset placeholder)
    {
        var claim = typed ?? fromFileName;
        if (mediaTime is { } media)
            return new Decided(media, RecordedTimeSources.Container, claim, claim is { } c && (c - media).Duration() > tolerance);
        if (typed is { } t) return new Decided(t, RecordedTimeSources.Metadata, t, false);
        if (fromFileName is { } f) return new Decided(f, RecordedTimeSources.FileName, f, false);
        return new Decided(placeholder, RecordedTimeSources.Unknown, null, false);
    }

    /// <summary>The day retention counts from: the recording day, or while that is unknown the save day
    /// (later, so the record is kept longer rather than shorter).</summary>
    public static DateTimeOffset RetentionBasis(Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.RecordedStartSource == RecordedTimeSources.Unknown && record.SavedAt > record.RecordedStart ? record.SavedAt : record.RecordedStart;
    }
}

/// <summary>Where a record's start time came from.</summary>
public static class RecordedTimeSources
{
    /// <summary>The media's own creation time: authoritative.</summary>
    public const string Container = "container";
    /// <summary>Typed by the uploader (web form, CLI, API recordedAt): unconfirmed.</summary>
    public const string Metadata = "metadata";
    /// <summary>Read from the file name the uploader sent: unconfirmed.</summary>
    public const string FileName = "filename";
    /// <summary>Neither media nor uploader gave a time (录制时间未知): flagged until a head confirms one.</summary>
    public const string Unknown = "unknown";
    /// <summary>Confirmed by a department head after it was unknown or unconfirmed.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>What the compliance list and record page show: unknown, unconfirmed, discrepant, or null when nothing is owed.</summary>
    public static string? Flag(string source, bool discrepancy) => source switch
    {
        Unknown => "unknown",
        Metadata or FileName => "unconfirmed",
        _ when discrepancy => "discrepant",
        _ => null,
    };
}
