using System.Globalization;

namespace AvLedger.Core.Sessions;

/// <summary>A session's one timeline: its segments in order, each on a lane so that segments recorded
/// at the same time by several devices sit side by side, and the gaps between them (Art. 9, 11).</summary>
public static class SessionTimeline
{
    public sealed record Segment(string RecordId, string? DeviceCode, string? OfficerBadge, DateTimeOffset Start, DateTimeOffset End, int Lane);

    public sealed record Gap(string Id, DateTimeOffset From, DateTimeOffset To, double Seconds, bool Explained, string? ReportId);

    /// <summary>Orders segments by start and gives each the first lane free at its start.</summary>
    public static IReadOnlyList<Segment> Lay(IEnumerable<(string RecordId, string? DeviceCode, string? OfficerBadge, DateTimeOffset Start, DateTimeOffset End)> records)
    {
        var laneEnds = new List<DateTimeOffset>();
        var laid = new List<Segment>();
        foreach (var r in records.OrderBy(r => r.Start).ThenBy(r => r.End).ThenBy(r => r.RecordId, StringComparer.Ordinal))
        {
            var lane = laneEnds.FindIndex(end => end <= r.Start);
            if (lane < 0) { lane = laneEnds.Count; laneEnds.Add(r.End); }
            else laneEnds[lane] = r.End;
            laid.Add(new Segment(r.RecordId, r.DeviceCode, r.OfficerBadge, r.Start, r.End, lane));
        }
        return laid;
    }

    /// <summary>Every stretch longer than <paramref name="threshold"/> in which no segment was recording.
    /// A gap is explained by a report whose span covers it: when a late segment splits a reported gap,
    /// both remaining parts stay explained by that report.</summary>
    public static IReadOnlyList<Gap> Gaps(IReadOnlyList<Segment> segments, IEnumerable<InterruptionReport> reports, TimeSpan threshold)
    {
        var gaps = new List<Gap>();
        var reportList = reports.OrderByDescending(r => r.ReportedAt).ToList();
        DateTimeOffset? covered = null;
        foreach (var s in segments.OrderBy(s => s.Start))
        {
            if (covered is { } end && s.Start - end > threshold)
            {
                var report = reportList.FirstOrDefault(r => r.From <= end && r.To >= s.Start);
                gaps.Add(new Gap(GapId(end, s.Start), end, s.Start, (s.Start - end).TotalSeconds, report is not null, report?.Id));
            }
            covered = covered is { } c && c > s.End ? c : s.End;
        }
        return gaps;
    }

    /// <summary>Segments played together: each cluster holds segments that overlap in time, chained, each with
    /// its offset from the cluster's start; a segment starting at or after the cluster's end opens the next.</summary>
    public static List<List<(T Item, double Offset)>> Clusters<T>(IEnumerable<(T Item, DateTimeOffset Start, DateTimeOffset End)> segments)
    {
        var clusters = new List<List<(T, double)>>();
        DateTimeOffset start = default, end = default;
        foreach (var (item, from, to) in segments.OrderBy(s => s.Start))
        {
            if (clusters.Count == 0 || from >= end)
            {
                clusters.Add([]);
                (start, end) = (from, to);
            }
            if (to > end) end = to;
            clusters[^1].Add((item, (from - start).TotalSeconds));
        }
        return clusters;
    }

    /// <summary>The least width a span is drawn with, in percent of the session, so a one-second recording
    /// in a long session can still be seen and clicked.</summary>
    public const double LeastWidth = 0.4;

    /// <summary>Where a span from <paramref name="from"/> to <paramref name="to"/> sits on a timeline from
    /// <paramref name="start"/> to <paramref name="end"/>, in percent: never less than <see cref="LeastWidth"/>
    /// wide, and moved left rather than past the end when it is short and last.</summary>
    public static (double Left, double Width) Place(DateTimeOffset start, DateTimeOffset end, DateTimeOffset from, DateTimeOffset to)
    {
        var total = Math.Max(1, (end - start).TotalSeconds);
        var left = Math.Clamp((from - start).TotalSeconds / total * 100, 0, 100);
        var width = Math.Clamp((to - from).TotalSeconds / total * 100, LeastWidth, 100);
        return (Math.Max(0, Math.Min(left, 100 - width)), width);
    }

    /// <summary>A gap is named by its span, so the same hole keeps its id across reads.</summary>
    public static string GapId(DateTimeOffset from, DateTimeOffset to) =>
        string.Create(CultureInfo.InvariantCulture, $"{from.ToUnixTimeMilliseconds()}-{to.ToUnixTimeMilliseconds()}");
}
