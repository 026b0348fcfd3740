using System.Net;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Access;

public sealed class DownloadLimitTests(LowDownloadLimitFactory factory) : IClassFixture<LowDownloadLimitFactory>
{
    [Fact]
    public async Task Downloads_beyond_the_hourly_limit_are_refused_per_person()
    {
        var (officer, _) = await factory.OfficerAsync();
        var id = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(1))).RecordId!;
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/records/{id}/download")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/records/{id}/download")).StatusCode);
        using var third = await officer.GetAsync($"/api/v1/records/{id}/download");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("too-many-downloads", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Playback is not a copy and is not limited; another person has their own allowance.
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        var (other, _) = await factory.OfficerAsync();
        var theirs = (await Tus.UploadAsync(other, await Tus.NewSampleAsync(1))).RecordId!;
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/v1/records/{theirs}/download")).StatusCode);
    }
}
