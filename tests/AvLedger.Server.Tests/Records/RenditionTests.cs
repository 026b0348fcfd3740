using System.Net;
using System.Net.Http.Headers;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using Record = AvLedger.Core.Records.Record;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Records;

public sealed class RenditionTestsOnSqlite(SqliteFactory factory) : RenditionTests<SqliteFactory>(factory);

public sealed class RenditionTestsOnPostgres(PostgresFactory factory) : RenditionTests<PostgresFactory>(factory);

public abstract class RenditionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    async Task<Record> RecordAsync(string id)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    async Task<Record> SettledAsync(string id)
    {
        await factory.WorkersIdleAsync();
        return await RecordAsync(id);
    }

    [Fact]
    public async Task An_h265_original_gets_an_h264_rendition_served_by_range_and_marked_as_derivative()
    {
        var (officer, _) = await factory.OfficerAsync();
        var file = await Tus.NewSampleAsync(3, hevc: true);
        var id = (await Tus.UploadAsync(officer, file)).RecordId!;
        var record = await SettledAsync(id);
        Assert.Equal(RenditionState.Ready, record.Rendition);
        Assert.Equal("hevc", record.VideoCodec);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{id}/rendition");
        request.Headers.Range = new RangeHeaderValue(0, 1023);
        using var response = await officer.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("web-rendition", response.Headers.GetValues("X-AvLedger-Derivative").Single());
        var head = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(1024, head.Length);
        Assert.Equal("ftyp"u8.ToArray(), head[4..8]);

        // The rendition's own file says it is not a record, and of which record it was made.
        var whole = Path.Combine(Path.GetTempPath(), $"rendition-{id}.mp4");
        await File.WriteAllBytesAsync(whole, await officer.GetByteArrayAsync($"/api/v1/records/{id}/rendition"));
        try
        {
            var tags = await AvLedger.Media.Clips.TagsAsync(whole, CancellationToken.None);
            Assert.Contains("非执法音像记录", tags["comment"], StringComparison.Ordinal);
            Assert.Contains(id, tags["title"], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(whole);
        }

        // The original is untouched: the download is still the uploaded bytes.
        Assert.Equal(Tus.Sha256(file), Tus.Sha256(await officer.GetByteArrayAsync($"/api/v1/records/{id}/download")));
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.RecordId == id && e.Action == AuditActions.ContentView && e.Ranges!.StartsWith("rendition")));
    }

    [Fact]
    public async Task An_h264_original_needs_no_rendition_and_asking_for_one_says_so()
    {
        var (officer, _) = await factory.OfficerAsync();
        var id = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(2))).RecordId!;
        Assert.Equal(RenditionState.NotNeeded, (await RecordAsync(id)).Rendition);
        using var response = await officer.GetAsync($"/api/v1/records/{id}/rendition");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-rendition", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
