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
}
