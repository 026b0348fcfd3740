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

namespace AvLedger.Server.Tests.Derivatives;

public sealed class ClipTestsOnSqlite(SqliteFactory factory) : ClipTests<SqliteFactory>(factory);

public sealed class ClipTestsOnPostgres(PostgresFactory factory) : ClipTests<PostgresFactory>(factory);

/// <summary>Art. 3 (R-3b): a clip is a derivative — linked to its record, labelled as not being an
/// enforcement AV record in the API and inside its file, and never listed or counted as a record.</summary>
public abstract class ClipTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    static async Task<JsonElement> CutAsync(HttpClient client, string recordId, double start, double end)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/records/{recordId}/clips", new { start, end });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/v1/derivatives/{(await JsonAsync(response)).GetProperty("id").GetString()}", response.Headers.Location?.ToString());
        return await JsonAsync(response);
    }

    async Task<JsonElement> ReadyAsync(HttpClient client, string derivativeId)
    {
        await factory.WorkersIdleAsync();
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/derivatives/{derivativeId}");
    }

    static async Task<int> TotalAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/records?pageSize=200")).GetProperty("total").GetInt32();

    async Task<int> DerivativesOfAsync(string recordId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        return await db.Derivatives.CountAsync(d => d.OriginalId == recordId) + await db.Jobs.CountAsync(j => j.Kind == "clip" && db.Derivatives.Any(d => d.Id == j.Subject && d.OriginalId == recordId));
    }

    [Fact]
    public async Task A_clip_is_cut_to_the_asked_range_and_labelled_in_the_api_and_inside_its_file()
    {
        var officer = await factory.PersonAsync();
        using var client = await factory.ClientAsync(officer);
        var file = await Tus.NewSampleAsync(10);
        var recordId = (await Tus.UploadAsync(client, file)).RecordId!;
        var recordSha = Tus.Sha256(file);

        var made = await CutAsync(client, recordId, 3, 7);
        Assert.False(made.GetProperty("isRecord").GetBoolean());
        Assert.Equal("pending", made.GetProperty("state").GetString());
        var clip = await ReadyAsync(client, made.GetProperty("id").GetString()!);
        Assert.Equal("ready", clip.GetProperty("state").GetString());
        Assert.Equal("clip", clip.GetProperty("kind").GetString());
        Assert.Equal(recordId, clip.GetProperty("originalId").GetString());
        Assert.False(clip.GetProperty("isRecord").GetBoolean());
        Assert.Equal("非执法音像记录", clip.GetProperty("label").GetString());
        Assert.Equal("not an enforcement AV record", clip.GetProperty("labelEn").GetString());
        Assert.Equal(3, clip.GetProperty("start").GetDouble());
        Assert.Equal(7, clip.GetProperty("end").GetDouble());
        // The decrypted original and the cut were private temporary files, gone once the clip is sealed.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(factory.DataDir, "tmp"), $"{clip.GetProperty("id").GetString()}*"));

        using var response = await client.GetAsync($"/api/v1/derivatives/{clip.GetProperty("id").GetString()}/content");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("clip", response.Headers.GetValues("X-AvLedger-Derivative").Single());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(clip.GetProperty("sha256").GetString(), Tus.Sha256(bytes));
        Assert.Equal(bytes.Length, clip.GetProperty("size").GetInt64());

        var path = Path.Combine(Directory.CreateTempSubdirectory("avledger-clip-").FullName, "clip.mp4");
        try
        {
            await File.WriteAllBytesAsync(path, bytes);
            var info = await MediaProbe.ProbeAsync(path, MediaFormat.Mp4, default);
            Assert.InRange(info.DurationSeconds!.Value, 4 - Clips.Tolerance, 4 + Clips.Tolerance);
            Assert.NotNull(info.VideoCodec);
            Assert.NotNull(info.AudioCodec);
            var tags = await Clips.TagsAsync(path, default);
            foreach (var tag in new[] { "comment", "description" })
            {
                Assert.Contains("非执法音像记录", tags[tag], StringComparison.Ordinal);
                Assert.Contains("not an enforcement AV record", tags[tag], StringComparison.Ordinal);
                Assert.Contains(recordId, tags[tag], StringComparison.Ordinal);
                Assert.Contains(recordSha, tags[tag], StringComparison.Ordinal);
            }
            Assert.Contains("非执法音像记录", tags["title"], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_clip_is_never_listed_or_counted_as_a_record_and_leaves_the_original_untouched()
    {
        var officer = await factory.PersonAsync();
        using var client = await factory.ClientAsync(officer);
        var file = await Tus.NewSampleAsync(10);
        var recordId = (await Tus.UploadAsync(client, file)).RecordId!;
        var total = await TotalAsync(client);
        var record = await client.GetFromJsonAsync<JsonElement>($"/api/v1/records/{recordId}");
        Assert.True(record.GetProperty("isRecord").GetBoolean());

        var clipId = (await ReadyAsync(client, (await CutAsync(client, recordId, 4, 8)).GetProperty("id").GetString()!)).GetProperty("id").GetString()!;

        Assert.Equal(total, await TotalAsync(client));
        var search = await client.GetFromJsonAsync<JsonElement>("/api/v1/records?pageSize=200");
        Assert.DoesNotContain(search.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == clipId);
        Assert.All(search.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("isRecord").GetBoolean()));
        var byText = await client.GetFromJsonAsync<JsonElement>($"/api/v1/records?q={clipId}");
        Assert.Equal(0, byText.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/records/{clipId}")).StatusCode);

        // The original is untouched: its download is still the uploaded bytes.
        Assert.Equal(Tus.Sha256(file), Tus.Sha256(await client.GetByteArrayAsync($"/api/v1/records/{recordId}/download")));

        // It is found with its original, as a derivative.
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/records/{recordId}/derivatives");
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(clipId, listed.GetProperty("id").GetString());
        Assert.False(listed.GetProperty("isRecord").GetBoolean());
        Assert.Equal("非执法音像记录", listed.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Making_a_clip_is_ledgered_with_both_hashes_and_downloading_it_is_audited_as_a_copy_of_the_original()
    {
        var officer = await factory.PersonAsync();
        using var client = await factory.ClientAsync(officer);
        var file = await Tus.NewSampleAsync(4);
        var recordId = (await Tus.UploadAsync(client, file)).RecordId!;
        var clip = await ReadyAsync(client, (await CutAsync(client, recordId, 1, 3)).GetProperty("id").GetString()!);
        var clipId = clip.GetProperty("id").GetString()!;

        var leaf = Assert.Single(await factory.LedgerLeavesAsync(), l => l.Contains("\"derivative.made\"", StringComparison.Ordinal) && l.Contains(clipId, StringComparison.Ordinal));
        Assert.Contains(recordId, leaf, StringComparison.Ordinal);
        Assert.Contains(Tus.Sha256(file), leaf, StringComparison.Ordinal);
        Assert.Contains(clip.GetProperty("sha256").GetString()!, leaf, StringComparison.Ordinal);
        Assert.Contains("\"Clip\"", leaf, StringComparison.Ordinal);

        (await client.GetAsync($"/api/v1/derivatives/{clipId}/content")).EnsureSuccessStatusCode();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var download = await db.AuditEvents.SingleAsync(e => e.RecordId == recordId && e.Action == AuditActions.ContentDownload);
        Assert.StartsWith($"clip {clipId}", download.Ranges, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cutting_needs_copy_access_so_another_units_officer_and_an_auditor_get_not_found()
    {
        var officer = await factory.PersonAsync();
        using var own = await factory.ClientAsync(officer);
        var recordId = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(2))).RecordId!;
        var clipId = (await ReadyAsync(own, (await CutAsync(own, recordId, 0, 1)).GetProperty("id").GetString()!)).GetProperty("id").GetString()!;

        using var stranger = await factory.ClientAsync(await factory.PersonAsync());
        using var auditor = await factory.ClientAsync(await factory.ColleagueAsync(officer, Role.Auditor));
        foreach (var client in new[] { stranger, auditor })
        {
            using var refused = await client.PostAsJsonAsync($"/api/v1/records/{recordId}/clips", new { start = 0, end = 1 });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/derivatives/{clipId}/content")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/derivatives/{clipId}/view")).StatusCode);
        }
        Assert.Equal(2, await DerivativesOfAsync(recordId)); // the one clip and its job, nothing more
        // The auditor may know the clip exists, as they may know the record does; the stranger may not.
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/derivatives/{clipId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/derivatives/{clipId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/records/{recordId}/derivatives")).StatusCode);

        // A head over the unit may copy, so may cut.
        using var head = await factory.ClientAsync(await factory.ColleagueAsync(officer, Role.DepartmentHead));
        using var byHead = await head.PostAsJsonAsync($"/api/v1/records/{recordId}/clips", new { start = 0.5, end = 2 });
        Assert.Equal(HttpStatusCode.Accepted, byHead.StatusCode);
    }

    [Theory]
    [InlineData(-1.0, 2.0)]
    [InlineData(3.0, 3.0)]
    [InlineData(5.0, 2.0)]
    [InlineData(0.0, 5.5)]
    [InlineData(1.0, 1.2)]
    [InlineData(null, 2.0)]
    [InlineData(1.0, null)]
    public async Task A_bad_range_is_refused_with_a_clear_problem_and_nothing_is_created(double? start, double? end)
    {
        var officer = await factory.PersonAsync();
        using var client = await factory.ClientAsync(officer);
        var recordId = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(5))).RecordId!;
        using var response = await client.PostAsJsonAsync($"/api/v1/records/{recordId}/clips", new { start, end });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        Assert.Equal("clip-range-invalid", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detailEn").GetString()));
        Assert.Equal(0, await DerivativesOfAsync(recordId));
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/records/{recordId}/derivatives") ?? []);
    }
}
