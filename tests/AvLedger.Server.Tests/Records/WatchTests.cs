using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Media;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Records;

/// <summary>Viewing is not copying: a "view only" approval once gave the exact original
/// through /content. Now a view-only person plays a per-viewer stream with their name, 执法证号 and
/// time burned in, and the original needs copy access.</summary>
public sealed class WatchTests(SqliteFactory factory) : IClassFixture<SqliteFactory>, IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("avledger-watch-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);


    /// <summary>A record of officer A's, and an outsider holding an approved view (not copy) grant for it.</summary>
    async Task<(string RecordId, byte[] Original, HttpClient Officer, HttpClient Viewer, string ViewerId)> ViewGrantAsync()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var outsider = await factory.PersonAsync();
        var own = await factory.ClientAsync(officer);
        var original = await Tus.NewSampleAsync(3);
        var id = (await Tus.UploadAsync(own, original)).RecordId!;
        var viewer = await factory.ClientAsync(outsider);
        using var asked = await viewer.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "办理投诉复核需查看现场录像", days = 2, recordIds = new[] { id } });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var requestId = JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var approver = await factory.ClientAsync(head);
        using var approved = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意查看", password = head.Password });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using var scope = factory.Services.CreateScope();
        var viewerId = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Accounts.Where(a => a.Username == outsider.Username).Select(a => a.Id).SingleAsync();
        return (id, original, own, viewer, viewerId);
    }

    /// <summary>The first picture of a file as 160×90 grey pixels.</summary>
    static async Task<byte[]> FirstFrameAsync(string path, MediaFormat format)
    {
        var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
            ["-nostdin", "-v", "error", .. Ffmpeg.Input(path, format), "-frames:v", "1", "-vf", "scale=160:90,format=gray", "-f", "rawvideo", "pipe:1"], default);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(160 * 90, result.Stdout.Length);
        return result.Stdout;
    }

    static double MeanDifference(byte[] a, byte[] b, int fromRow, int toRow)
    {
        double sum = 0;
        for (var i = fromRow * 160; i < toRow * 160; i++) sum += Math.Abs(a[i] - b[i]);
        return sum / ((toRow - fromRow) * 160);
    }

    [Fact]
    public async Task A_view_grant_holder_plays_only_a_watermarked_stream_never_the_original()
    {
        var (id, original, officer, viewer, viewerId) = await ViewGrantAsync();
        foreach (var path in new[] { "content", "download", "rendition" })
            Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/records/{id}/{path}")).StatusCode);

        using var playlist = await viewer.GetAsync($"/api/v1/records/{id}/watch/index.m3u8");
        Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", playlist.Content.Headers.ContentType?.MediaType);
        Assert.Contains("seg0.ts", await playlist.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var segment = await viewer.GetByteArrayAsync($"/api/v1/records/{id}/watch/seg0.ts");
        Assert.NotEqual(Tus.Sha256(original), Tus.Sha256(segment));
        // Another person cannot fetch this viewer's segments.
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/api/v1/records/{id}/watch/seg0.ts")).StatusCode);

        var watched = Path.Combine(dir, "seg0.ts");
        var plain = Path.Combine(dir, "original.mp4");
        await File.WriteAllBytesAsync(watched, segment);
        await File.WriteAllBytesAsync(plain, original);
        var mine = await FirstFrameAsync(watched, MediaFormat.Ts);
        var theirs = await FirstFrameAsync(plain, MediaFormat.Mp4);
        // The mark is burned in across the top band (rows 7–14 of 90); the middle of the picture is the same recording.
        var band = MeanDifference(mine, theirs, 7, 14);
        var middle = MeanDifference(mine, theirs, 35, 55);
        Assert.True(band > 12 && band > 3 * middle, $"watermark band differs by {band:0.0}, middle by {middle:0.0}");

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var views = await db.AuditEvents.Where(e => e.RecordId == id && e.ActorId == viewerId).ToListAsync();
        var view = Assert.Single(views);
        Assert.Equal(AuditActions.ContentView, view.Action);
        Assert.StartsWith("watch", view.Ranges, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_with_copy_access_still_gets_the_original_bytes()
    {
        var (id, original, officer, _, _) = await ViewGrantAsync();
        Assert.Equal(Tus.Sha256(original), Tus.Sha256(await officer.GetByteArrayAsync($"/api/v1/records/{id}/content")));
        Assert.Equal(Tus.Sha256(original), Tus.Sha256(await officer.GetByteArrayAsync($"/api/v1/records/{id}/download")));
    }
}
