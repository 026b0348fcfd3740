using System.Net;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Ingest;

/// <summary>Moves the clock, so it has a server of its own.</summary>
public sealed class ExpirationTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task A_stale_partial_upload_expires_and_its_bytes_are_removed()
    {
        var (officer, _) = await factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        (await Tus.PatchAsync(officer, location, 0, file.AsMemory(0, 5000))).EnsureSuccessStatusCode();
        var part = Path.Combine(factory.DataDir, "uploads", location.Split('/')[^1] + ".part");
        Assert.True(File.Exists(part));

        factory.Clock.Advance(TimeSpan.FromHours(25));

        Assert.Equal(HttpStatusCode.Gone, (await Tus.HeadAsync(officer, location)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await Tus.PatchAsync(officer, location, 5000, file.AsMemory(5000))).StatusCode);
        var status = await Tus.StatusAsync(officer, location);
        Assert.Equal(("rejected", "expired"), (status.State, status.Error));
        for (var i = 0; i < 100 && File.Exists(part); i++) await Task.Delay(100);
        Assert.False(File.Exists(part), "the cleanup should remove an expired partial upload");
    }
}
