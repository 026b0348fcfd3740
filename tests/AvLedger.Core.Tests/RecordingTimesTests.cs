using AvLedger.Core.Records;

namespace AvLedger.Core.Tests;

public class RecordingTimesTests
{
    static readonly TimeZoneInfo Shanghai = RecordingTimes.China;

    [Fact]
    public void Retention_runs_180_days_from_the_recording_day_in_China_time()
    {
        // 20:00 UTC on 30 June is already 1 July in Chongqing.
        var start = new DateTimeOffset(2026, 6, 30, 20, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 7, 1), RecordingTimes.RecordingDay(start));
        Assert.Equal(new DateOnly(2026, 7, 1).AddDays(180), RecordingTimes.RetainUntil(start));
    }

    [Fact]
    public void A_shorter_category_never_shortens_retention_below_180_days()
    {
        var start = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(new DateOnly(2026, 1, 1).AddDays(180), RecordingTimes.RetainUntil(start, categoryDays: 30));
        Assert.Equal(new DateOnly(2026, 1, 1).AddDays(365), RecordingTimes.RetainUntil(start, categoryDays: 365));
    }

    [Fact]
    public void A_save_more_than_24_hours_after_the_end_is_late()
    {
        var end = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.FromHours(8));
        Assert.False(RecordingTimes.IsLateSave(end, end.AddHours(24)));
        Assert.True(RecordingTimes.IsLateSave(end, end.AddHours(24).AddSeconds(1)));
    }

    [Fact]
    public void A_device_time_without_offset_is_read_in_the_device_zone()
    {
        var t = RecordingTimes.ParseDeviceTime("2026-11-20T09:30:00", Shanghai);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.FromHours(8)), t);
        var utc = RecordingTimes.ParseDeviceTime("2026-11-20T01:30:00Z", Shanghai);
        Assert.Equal(t, utc);
        var offset = RecordingTimes.ParseDeviceTime("2026-11-20T03:30:00+02:00", Shanghai);
        Assert.Equal(t, offset);
        Assert.Null(RecordingTimes.ParseDeviceTime("yesterday", Shanghai));
    }

    [Theory]
    [InlineData("DSJ-0001_500101_20261120093000.mp4", "2026-11-20T09:30:00+08:00")]
    [InlineData("20261120_093000_A.MP4", "2026-11-20T09:30:00+08:00")]
    [InlineData("REC20261120-093000.mov", "2026-11-20T09:30:00+08:00")]
    public void Recorder_file_names_give_the_start_time(string name, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), RecordingTimes.FromFileName(name, Shanghai));
    }

    [Theory]
    [InlineData("clip.mp4")]
    [InlineData("DSJ_20261399999999.mp4")]
    public void Names_without_a_valid_time_give_none(string name) => Assert.Null(RecordingTimes.FromFileName(name, Shanghai));
}
