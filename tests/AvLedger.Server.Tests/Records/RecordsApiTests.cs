using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Records;

public sealed class RecordsApiTestsOnSqlite(SqliteFactory factory) : RecordsApiTests<SqliteFactory>(factory);

public sealed class RecordsApiTestsOnPostgres(PostgresFactory factory) : RecordsApiTests<PostgresFactory>(factory);

public abstract class RecordsApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    async Task<(HttpClient Officer, string Badge, string RecordId, byte[] File)> StoredAsync(DateTimeOffset? start = null)
    {
        var (officer, badge) = await factory.OfficerAsync();
        var file = await Tus.NewSampleAsync(2, start);
        var status = await Tus.UploadAsync(officer, file);
        Assert.Equal("stored", status.State);
        return (officer, badge, status.RecordId!, file);
    }

    async Task<List<AuditEvent>> AuditAsync(string recordId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        return await db.AuditEvents.AsNoTracking().Where(e => e.RecordId == recordId).ToListAsync();
    }

    [Fact]
    public async Task Range_requests_return_exact_bytes_with_etag_and_digest()
    {
        var (officer, _, id, file) = await StoredAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{id}/content");
        request.Headers.Range = new RangeHeaderValue(100_000, 165_535);
        using var response = await officer.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(file.AsSpan(100_000, 65_536).ToArray(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{Tus.Sha256(file)}\"", response.Headers.ETag?.Tag);
        var digest = Convert.ToBase64String(Convert.FromHexString(Tus.Sha256(file)));
        Assert.Equal($"sha-256=:{digest}:", response.Headers.GetValues("Repr-Digest").Single());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);

        using var tail = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{id}/content");
        tail.Headers.Range = new RangeHeaderValue(null, 10);
        using var tailResponse = await officer.SendAsync(tail);
        Assert.Equal(file[^10..], await tailResponse.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{id}/content");
        beyond.Headers.Range = new RangeHeaderValue(file.Length + 10, file.Length + 20);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await officer.SendAsync(beyond)).StatusCode);
    }

    [Fact]
    public async Task A_playback_of_many_range_requests_is_one_audit_event_written_before_the_bytes()
    {
        var (officer, _, id, file) = await StoredAsync();
        Assert.DoesNotContain(await AuditAsync(id), e => e.Action == AuditActions.ContentView);
        for (var offset = 0; offset < file.Length; offset += 200_000)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{id}/content");
            request.Headers.Range = new RangeHeaderValue(offset, Math.Min(offset + 199_999, file.Length - 1));
            (await officer.SendAsync(request)).EnsureSuccessStatusCode();
        }
        var views = (await AuditAsync(id)).Where(e => e.Action == AuditActions.ContentView).ToList();
        var view = Assert.Single(views);
        Assert.Equal((file.Length + 199_999) / 200_000, view.Requests);
        Assert.StartsWith("0-199999,200000-399999", view.Ranges, StringComparison.Ordinal);

        // A later viewing, after the window, is a new event.
        factory.Clock.Advance(ContentAudit.ViewingWindow + TimeSpan.FromMinutes(1));
        (await officer.GetAsync($"/api/v1/records/{id}/content")).EnsureSuccessStatusCode();
        Assert.Equal(2, (await AuditAsync(id)).Count(e => e.Action == AuditActions.ContentView));
    }

    [Fact]
    public async Task Download_is_an_attachment_and_audited_as_a_copy()
    {
        var (officer, _, id, file) = await StoredAsync();
        using var response = await officer.GetAsync($"/api/v1/records/{id}/download");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(file, await response.Content.ReadAsByteArrayAsync());
        Assert.Single(await AuditAsync(id), e => e.Action == AuditActions.ContentDownload);
    }

    [Fact]
    public async Task The_thumbnail_is_a_jpeg()
    {
        var (officer, _, id, _) = await StoredAsync();
        var jpeg = await officer.GetByteArrayAsync($"/api/v1/records/{id}/thumbnail");
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, jpeg[..3]);
    }

    [Theory]
    [InlineData("01M8CPD3Z0TWV7KER0T4C5X40J")]
    [InlineData("not-an-id")]
    [InlineData("../../etc/passwd")]
    public async Task Unknown_and_malformed_ids_are_the_same_404(string id)
    {
        var (officer, _) = await factory.OfficerAsync();
        foreach (var path in new[] { "", "/content", "/download", "/thumbnail" })
        {
            using var response = await officer.GetAsync($"/api/v1/records/{Uri.EscapeDataString(id)}{path}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Records_need_a_signed_in_user()
    {
        var (_, _, id, _) = await StoredAsync();
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/records")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
    }

    [Fact]
    public async Task Search_filters_by_officer_device_and_time_and_clamps_the_page_size()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-5);
        var (officer, badge, id, _) = await StoredAsync(start);
        var mine = await JsonAsync(await officer.GetAsync($"/api/v1/records?officer={badge}"));
        Assert.Equal(1, mine.GetProperty("total").GetInt32());
        Assert.Equal(id, mine.GetProperty("items")[0].GetProperty("id").GetString());

        string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var within = await JsonAsync(await officer.GetAsync($"/api/v1/records?officer={badge}&from={Iso(start.AddMinutes(-1))}&to={Iso(start.AddMinutes(1))}"));
        Assert.Equal(1, within.GetProperty("total").GetInt32());
        var before = await JsonAsync(await officer.GetAsync($"/api/v1/records?officer={badge}&to={Iso(start.AddMinutes(-1))}"));
        Assert.Equal(0, before.GetProperty("total").GetInt32());
        var otherDevice = await JsonAsync(await officer.GetAsync($"/api/v1/records?officer={badge}&device=NOPE"));
        Assert.Equal(0, otherDevice.GetProperty("total").GetInt32());

        var page = await JsonAsync(await officer.GetAsync("/api/v1/records?pageSize=5000"));
        Assert.Equal(200, page.GetProperty("pageSize").GetInt32());

        using var bad = await officer.GetAsync("/api/v1/records?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("time-invalid", (await JsonAsync(bad)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_damaged_original_is_an_error_never_wrong_bytes()
    {
        var (officer, _, id, file) = await StoredAsync();
        var blob = Directory.EnumerateFiles(Path.Combine(factory.DataDir, "blobs", "originals"), Tus.Sha256(file), SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var f = new FileStream(blob, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = 200;
            var b = f.ReadByte();
            f.Position = 200;
            f.WriteByte((byte)(b ^ 0x01));
        }
        HttpResponseMessage? response = null;
        try
        {
            response = await officer.GetAsync($"/api/v1/records/{id}/content");
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // The stream was cut: also an error, not bytes.
        }
        catch (IOException)
        {
        }
        finally
        {
            response?.Dispose();
        }
    }
}
