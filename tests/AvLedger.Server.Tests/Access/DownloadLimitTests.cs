using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Access;

public sealed class DownloadLimitTests(LowDownloadLimitFactory factory) : IClassFixture<LowDownloadLimitFactory>
{
    /// <summary>/content once served originals without limit. Playing the original
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

    /// <summary>Clips and packages were once limited by a rate limiter of their own, so
    /// they added copies beyond the budget the originals had used up. Now every copy comes out of one
    /// budget per person and hour.</summary>
    [Fact]
    public async Task Clips_and_packages_come_out_of_the_same_hourly_copy_budget_as_originals()
    {
        // A legal officer who also records: may cut clips of and export their own records.
        var (officer, _) = await factory.OfficerAsync(Role.Officer | Role.LegalOfficer);
        var first = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(2))).RecordId!;
        var second = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(1))).RecordId!;
        var third = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(1))).RecordId!;
        // Cutting a clip and making a package are not copies yet; taking their bytes is.
        using var cut = await officer.PostAsJsonAsync($"/api/v1/records/{first}/clips", new { start = 0, end = 1 });
        Assert.Equal(HttpStatusCode.Accepted, cut.StatusCode);
        var clipId = JsonDocument.Parse(await cut.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using var export = await officer.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { third }, purpose = "复制额度测试" });
        Assert.Equal(HttpStatusCode.Accepted, export.StatusCode);
        var exportId = JsonDocument.Parse(await export.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await factory.WorkersIdleAsync();

        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/records/{second}/download")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/derivatives/{clipId}/content")).StatusCode);
        // The budget of two is spent: neither another clip read, nor a package, nor an original.
        foreach (var path in new[] { $"/api/v1/exports/{exportId}/download", $"/api/v1/derivatives/{clipId}/view", $"/api/v1/records/{third}/content" })
        {
            using var refused = await officer.GetAsync(path);
            Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{path}: {refused.StatusCode}");
            Assert.Contains("too-many-downloads", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // The clip download in progress (its window still open) goes on.
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/derivatives/{clipId}/content")).StatusCode);
    }
}
