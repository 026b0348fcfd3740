using System.Net;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Access;

public sealed class DownloadLimitTests(LowDownloadLimitFactory factory) : IClassFixture<LowDownloadLimitFactory>
{
    /// <summary>Issue 13 item 7: /content served originals without limit. Playing the original
    /// inline and downloading it are both copies; one copy is one audit window, so a playback's many
    /// Range requests count once.</summary>
    [Fact]
    public async Task Reads_of_originals_beyond_the_hourly_limit_are_refused_per_person_counting_each_viewing_once()
    {
        var (officer, _) = await factory.OfficerAsync();
        var first = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(1))).RecordId!;
        var second = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(1))).RecordId!;
        var third = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(1))).RecordId!;
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/records/{first}/download")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/records/{second}/content")).StatusCode);
        // More requests of an open viewing are the same copy.
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/records/{second}/content")).StatusCode);
        using var refused = await officer.GetAsync($"/api/v1/records/{third}/content");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("too-many-downloads", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await officer.GetAsync($"/api/v1/records/{third}/download")).StatusCode);
        var (other, _) = await factory.OfficerAsync();
        var theirs = (await Tus.UploadAsync(other, await Tus.NewSampleAsync(1))).RecordId!;
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/v1/records/{theirs}/download")).StatusCode);
    }
}
