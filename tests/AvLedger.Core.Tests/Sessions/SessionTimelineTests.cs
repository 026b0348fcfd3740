using AvLedger.Core.Sessions;

namespace AvLedger.Core.Tests.Sessions;

public sealed class SessionTimelineTests
{
    static readonly DateTimeOffset T0 = new(2026, 5, 1, 9, 0, 0, TimeSpan.FromHours(8));

    static (string, DateTimeOffset, DateTimeOffset) Segment(string id, int fromMinute, int toMinute) => (id, T0.AddMinutes(fromMinute), T0.AddMinutes(toMinute));

    [Fact]
    public void Overlapping_segments_play_together_each_at_its_offset_from_the_first()
    {
        var clusters = SessionTimeline.Clusters([Segment("b", 2, 8), Segment("a", 0, 5)]);
        var cluster = Assert.Single(clusters);
        Assert.Equal(new List<(string, double)> { ("a", 0.0), ("b", 120.0) }, cluster);
    }

    [Fact]
    public void A_segment_overlapping_only_a_later_one_of_the_cluster_still_joins_it()
    {
        var clusters = SessionTimeline.Clusters([Segment("a", 0, 5), Segment("b", 4, 20), Segment("c", 10, 12)]);
        Assert.Equal(new[] { "a", "b", "c" }, Assert.Single(clusters).Select(c => c.Item));
    }

    [Fact]
    public void A_segment_starting_when_the_cluster_ends_opens_the_next()
    {
        var clusters = SessionTimeline.Clusters([Segment("a", 0, 5), Segment("b", 5, 9)]);
        Assert.Equal(2, clusters.Count);
        Assert.Equal(("b", 0.0), Assert.Single(clusters[1]));
    }

    [Theory]
    [InlineData(0, 300, 299, 300)]
    [InlineData(0, 300, 300, 300)]
    [InlineData(0, 3600, 3599.5, 3600)]
    [InlineData(0, 1, 0, 1)]
    [InlineData(10, 10, 10, 10)]
    public void Every_span_is_drawn_inside_the_timeline_and_at_least_the_least_width(double start, double end, double from, double to)
    {
        var (left, width) = SessionTimeline.Place(T0.AddSeconds(start), T0.AddSeconds(end), T0.AddSeconds(from), T0.AddSeconds(to));
        Assert.InRange(left, 0, 100);
        Assert.InRange(width, SessionTimeline.LeastWidth, 100);
        Assert.True(left + width <= 100 + 1e-9, $"{left} + {width} runs past the end");
    }

    [Fact]
    public void A_long_span_keeps_its_place_and_length()
    {
        var (left, width) = SessionTimeline.Place(T0, T0.AddSeconds(100), T0.AddSeconds(25), T0.AddSeconds(75));
        Assert.Equal(25, left, 9);
        Assert.Equal(50, width, 9);
    }
}
