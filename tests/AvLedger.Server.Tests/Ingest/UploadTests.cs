using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Ingest;

public sealed class UploadTestsOnSqlite(SqliteFactory factory) : UploadTests<SqliteFactory>(factory);

public sealed class UploadTestsOnPostgres(PostgresFactory factory) : UploadTests<PostgresFactory>(factory);

public abstract class UploadTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    protected TFactory Factory { get; } = factory;

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static async Task<JsonElement> RecordAsync(HttpClient client, string id) =>
        await JsonAsync(await client.GetAsync($"/api/v1/records/{id}"));

    [Fact]
    public async Task An_uploaded_recording_is_stored_bit_exact_and_described_from_its_own_metadata()
    {
        var (officer, badge) = await Factory.OfficerAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
        var file = await Tus.NewSampleAsync(3, start);

        var status = await Tus.UploadAsync(officer, file, fileName: "DSJ-0001_500101_20261120093000.mp4");

        Assert.Equal("stored", status.State);
        Assert.False(status.Duplicate);
        var record = await RecordAsync(officer, status.RecordId!);
        Assert.Equal(Tus.Sha256(file), record.GetProperty("sha256").GetString());
        Assert.Equal(file.Length, record.GetProperty("size").GetInt64());
        Assert.Equal(badge, record.GetProperty("officerBadge").GetString());
        Assert.Equal("container", record.GetProperty("recordedStartSource").GetString());
        Assert.Equal(start, record.GetProperty("recordedStart").GetDateTimeOffset());
        Assert.Equal(start.AddSeconds(3), record.GetProperty("recordedEnd").GetDateTimeOffset(), TimeSpan.FromMilliseconds(200));
        Assert.EndsWith("+08:00", record.GetProperty("recordedStart").GetString(), StringComparison.Ordinal);
        Assert.Equal("h264", record.GetProperty("videoCodec").GetString());
        Assert.Equal(1280, record.GetProperty("width").GetInt32());
        Assert.False(record.GetProperty("lateSave").GetBoolean());
        var day = DateOnly.FromDateTime(start.ToOffset(TimeSpan.FromHours(8)).DateTime);
        Assert.Equal(day.AddDays(180).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), record.GetProperty("retainUntil").GetString());
        Assert.Equal(Factory.Clock.GetUtcNow(), record.GetProperty("savedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));

        var content = await officer.GetByteArrayAsync($"/api/v1/records/{status.RecordId}/content");
        Assert.Equal(file, content);
    }

    [Fact]
    public async Task A_typed_time_is_only_a_claim_beside_the_files_own_and_one_without_offset_is_read_as_device_time()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
        var file = await Tus.NewSampleAsync(2, start);
        var status = await Tus.UploadAsync(officer, file, extra: ("recordedAt", "2026-11-20T09:30:00"));
        var record = await RecordAsync(officer, status.RecordId!);
        Assert.Equal("container", record.GetProperty("recordedStartSource").GetString());
        Assert.Equal(start, record.GetProperty("recordedStart").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.FromHours(8)), record.GetProperty("claimedRecordedStart").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_save_more_than_24_hours_after_recording_is_flagged_late()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync(2, DateTimeOffset.UtcNow.AddDays(-3));
        var status = await Tus.UploadAsync(officer, file);
        var record = await RecordAsync(officer, status.RecordId!);
        Assert.True(record.GetProperty("lateSave").GetBoolean());
        var late = await JsonAsync(await officer.GetAsync("/api/v1/records?lateSave=true&pageSize=200"));
        Assert.Contains(late.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == status.RecordId);
    }

    [Fact]
    public async Task Identical_bytes_uploaded_again_make_no_second_record()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var first = await Tus.UploadAsync(officer, file);
        var again = await Tus.UploadAsync(officer, file);
        Assert.Equal("stored", again.State);
        Assert.True(again.Duplicate);
        Assert.Equal(first.RecordId, again.RecordId);
        var all = await JsonAsync(await officer.GetAsync("/api/v1/records?pageSize=200"));
        Assert.Single(all.GetProperty("items").EnumerateArray(), i => i.GetProperty("sha256").GetString() == Tus.Sha256(file));
    }

    [Fact]
    public async Task A_duplicate_from_someone_out_of_scope_does_not_reveal_the_record()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var custodian = await Factory.PersonAsync(Core.Accounts.Role.DeviceCustodian);
        using var other = Factory.ClientWith(await Factory.TokenAsync(custodian.Username, custodian.Password));
        var file = await Tus.NewSampleAsync();
        await Tus.UploadAsync(officer, file);
        var second = await Tus.UploadAsync(other, file);
        Assert.Equal("stored", second.State);
        Assert.Null(second.RecordId);
    }

    [Fact]
    public async Task An_interrupted_upload_resumes_from_the_servers_offset()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        var half = file.Length / 2;
        (await Tus.PatchAsync(officer, location, 0, file.AsMemory(0, half))).EnsureSuccessStatusCode();

        using var head = await Tus.HeadAsync(officer, location);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(half.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers.GetValues("Upload-Offset").Single());
        Assert.Equal(file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers.GetValues("Upload-Length").Single());
        Assert.True(head.Headers.Contains("Upload-Expires"));
        Assert.Equal("receiving", (await Tus.StatusAsync(officer, location)).State);

        using var resumed = await Tus.PatchAsync(officer, location, half, file.AsMemory(half));
        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        var status = await Tus.SettledAsync(officer, location);
        Assert.Equal("stored", status.State);
        Assert.Equal(file, await officer.GetByteArrayAsync($"/api/v1/records/{status.RecordId}/content"));
    }

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha256")]
    public async Task A_patch_with_a_correct_checksum_is_accepted(string algorithm)
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        var digest = algorithm == "sha1" ? SHA1.HashData(file) : SHA256.HashData(file);
        using var response = await Tus.PatchAsync(officer, location, 0, file, $"{algorithm} {Convert.ToBase64String(digest)}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("stored", (await Tus.SettledAsync(officer, location)).State);
    }

    [Fact]
    public async Task A_patch_with_a_wrong_checksum_is_discarded_with_460()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        using var response = await Tus.PatchAsync(officer, location, 0, file.AsMemory(0, 1000), $"sha1 {Convert.ToBase64String(SHA1.HashData(new byte[] { 1 }))}");
        Assert.Equal(460, (int)response.StatusCode);
        Assert.Equal("checksum-mismatch", (await JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(0, (await Tus.StatusAsync(officer, location)).Offset);
    }

    [Fact]
    public async Task An_unsupported_checksum_algorithm_is_refused()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        using var response = await Tus.PatchAsync(officer, location, 0, file.AsMemory(0, 10), "md5 AAAA");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_whole_file_sha256_is_rejected_and_nothing_is_stored()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var wrong = Tus.Sha256([.. file, 0]);
        using var created = await Tus.CreateAsync(officer, file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Tus.Metadata(("filename", "a.mp4"), ("sha256", wrong), ("deviceCode", await Tus.DefaultDeviceAsync(officer))));
        var location = created.Headers.Location!.ToString();
        using var patched = await Tus.PatchAsync(officer, location, 0, file);
        Assert.Equal(460, (int)patched.StatusCode);
        Assert.Equal("sha256-mismatch", (await JsonAsync(patched)).GetProperty("code").GetString());

        var status = await Tus.StatusAsync(officer, location);
        Assert.Equal("rejected", status.State);
        Assert.Contains("sha256", status.Error, StringComparison.Ordinal);
        Assert.Null(status.RecordId);
        var all = await JsonAsync(await officer.GetAsync("/api/v1/records?pageSize=200"));
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), i => i.GetProperty("sha256").GetString() == Tus.Sha256(file) || i.GetProperty("sha256").GetString() == wrong);
        Assert.Empty(Directory.EnumerateFiles(Factory.DataDir, wrong + "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Factory.DataDir, "uploads", location.Split('/')[^1] + ".part")));
    }

    [Fact]
    public async Task An_upload_finished_short_stays_receiving_and_makes_no_record()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        (await Tus.PatchAsync(officer, location, 0, file.AsMemory(0, file.Length - 100))).EnsureSuccessStatusCode();
        await Factory.WorkersIdleAsync();
        var status = await Tus.StatusAsync(officer, location);
        Assert.Equal("receiving", status.State);
        Assert.Equal(file.Length - 100, status.Offset);
        Assert.Null(status.RecordId);
    }

    [Fact]
    public async Task Bytes_beyond_the_declared_length_are_refused_and_change_nothing()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        using var response = await Tus.PatchAsync(officer, location, 0, (byte[])[.. file, 1, 2, 3]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, (await Tus.StatusAsync(officer, location)).Offset);
    }

    [Fact]
    public async Task Non_media_bytes_are_refused_by_content_whatever_the_name()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("这不是视频 this is not a video. ", 100)));
        var location = await Tus.CreateOkAsync(officer, text, "evidence.mp4");
        using var response = await Tus.PatchAsync(officer, location, 0, text);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await JsonAsync(response);
        Assert.Equal("not-media", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detailEn").GetString()));
        var status = await Tus.StatusAsync(officer, location);
        Assert.Equal("rejected", status.State);
        Assert.False(File.Exists(Path.Combine(Factory.DataDir, "uploads", status.Id + ".part")));
    }

    [Fact]
    public async Task A_zero_byte_upload_is_refused()
    {
        var (officer, _) = await Factory.OfficerAsync();
        using var response = await Tus.CreateAsync(officer, "0", Tus.Metadata(("filename", "a.mp4"), ("sha256", Tus.Sha256([]))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("empty", (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("99999999999999999999999", 400, "length-invalid")]
    [InlineData("-5", 400, "length-invalid")]
    [InlineData("12abc", 400, "length-invalid")]
    [InlineData("", 400, "length-missing")]
    [InlineData("1099511627776", 413, "too-large")]
    public async Task An_absurd_upload_length_is_refused_before_anything_is_created(string length, int status, string code)
    {
        var (officer, _) = await Factory.OfficerAsync();
        var partsBefore = Directory.GetFiles(Path.Combine(Factory.DataDir, "uploads")).Length;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        if (length.Length > 0) request.Headers.TryAddWithoutValidation("Upload-Length", length);
        request.Headers.Add("Upload-Metadata", Tus.Metadata(("filename", "a.mp4"), ("sha256", new string('a', 64))));
        using var response = await officer.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(partsBefore, Directory.GetFiles(Path.Combine(Factory.DataDir, "uploads")).Length);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("clips/a.mp4")]
    [InlineData("C:\\recorder\\a.mp4")]
    [InlineData("..")]
    [InlineData("a\u0000.mp4")]
    [InlineData("DSJ_\u202Egnp.exe")]
    public async Task Path_characters_in_filename_are_refused(string name)
    {
        var (officer, _) = await Factory.OfficerAsync();
        using var response = await Tus.CreateAsync(officer, "1000", Tus.Metadata(("filename", name), ("sha256", new string('a', 64))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("filename-invalid", (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(null, "sha256-missing")]
    [InlineData("sha256 bm90LWhleA==", "sha256-missing")]
    [InlineData("sha256 !!!notbase64", "metadata-invalid")]
    [InlineData("filename YS5tcDQ=,filename YS5tcDQ=", "metadata-invalid")]
    public async Task Metadata_without_a_valid_sha256_is_refused(string? metadata, string code)
    {
        var (officer, _) = await Factory.OfficerAsync();
        using var response = await Tus.CreateAsync(officer, "1000", metadata);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_hidden_character_in_any_upload_metadata_is_refused()
    {
        var (officer, _) = await Factory.OfficerAsync();
        using var response = await Tus.CreateAsync(officer, "1000", Tus.Metadata(("filename", "a.mp4"), ("sha256", new string('a', 64)), ("deviceCode", await Tus.DefaultDeviceAsync(officer)), ("activityType", "onSite\u202EPenalty")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        Assert.Equal("metadata-invalid", problem.GetProperty("code").GetString());
        Assert.Contains("U+202E", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_activity_type_is_refused_and_nothing_is_created()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var partsBefore = Directory.GetFiles(Path.Combine(Factory.DataDir, "uploads")).Length;
        using var response = await Tus.CreateAsync(officer, "1000", Tus.Metadata(("filename", "a.mp4"), ("sha256", new string('a', 64)), ("deviceCode", await Tus.DefaultDeviceAsync(officer)), ("activityType", "noSuchActivity")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("activity-type-invalid", (await JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(partsBefore, Directory.GetFiles(Path.Combine(Factory.DataDir, "uploads")).Length);
    }

    [Fact]
    public async Task An_unregistered_device_cannot_upload()
    {
        var (officer, _) = await Factory.OfficerAsync();
        using var response = await Tus.CreateAsync(officer, "1000", Tus.Metadata(("filename", "a.mp4"), ("sha256", new string('a', 64)), ("deviceCode", "ROGUE-1")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("device-unknown", (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Uploads_need_a_valid_bearer_token()
    {
        using var anonymous = Factory.CreateClient();
        using var none = await Tus.CreateAsync(anonymous, "1000", Tus.Metadata(("filename", "a.mp4"), ("sha256", new string('a', 64))));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);

        using var forged = Factory.ClientWith("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        using var bad = await Tus.CreateAsync(forged, "1000", Tus.Metadata(("filename", "a.mp4"), ("sha256", new string('a', 64))));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task A_finished_upload_takes_no_more_bytes_and_cannot_be_terminated()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        (await Tus.PatchAsync(officer, location, 0, file)).EnsureSuccessStatusCode();
        var status = await Tus.SettledAsync(officer, location);

        using var again = await Tus.PatchAsync(officer, location, file.Length, new byte[] { 1 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, location);
        delete.Headers.Add("Tus-Resumable", "1.0.0");
        using var deleted = await officer.SendAsync(delete);
        Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
        Assert.Equal(file, await officer.GetByteArrayAsync($"/api/v1/records/{status.RecordId}/content"));
    }

    [Fact]
    public async Task A_terminated_upload_is_gone_with_its_bytes()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        (await Tus.PatchAsync(officer, location, 0, file.AsMemory(0, 1000))).EnsureSuccessStatusCode();
        using var delete = new HttpRequestMessage(HttpMethod.Delete, location);
        delete.Headers.Add("Tus-Resumable", "1.0.0");
        Assert.Equal(HttpStatusCode.NoContent, (await officer.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await Tus.HeadAsync(officer, location)).StatusCode);
        Assert.False(File.Exists(Path.Combine(Factory.DataDir, "uploads", location.Split('/')[^1] + ".part")));
    }

    [Fact]
    public async Task Someone_elses_upload_does_not_exist_for_you()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var (other, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);
        Assert.Equal(HttpStatusCode.NotFound, (await Tus.HeadAsync(other, location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Tus.PatchAsync(other, location, 0, file)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(location)).StatusCode);
    }

    [Fact]
    public async Task Protocol_errors_get_the_tus_statuses()
    {
        var (officer, _) = await Factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var location = await Tus.CreateOkAsync(officer, file);

        using var noVersion = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(file) };
        noVersion.Headers.Add("Upload-Offset", "0");
        noVersion.Content.Headers.ContentType = new("application/offset+octet-stream");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await officer.SendAsync(noVersion)).StatusCode);

        using var wrongType = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(file) };
        wrongType.Headers.Add("Tus-Resumable", "1.0.0");
        wrongType.Headers.Add("Upload-Offset", "0");
        wrongType.Content.Headers.ContentType = new("video/mp4");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await officer.SendAsync(wrongType)).StatusCode);

        using var wrongOffset = await Tus.PatchAsync(officer, location, 10, file.AsMemory(10));
        Assert.Equal(HttpStatusCode.Conflict, wrongOffset.StatusCode);
        Assert.Equal("0", wrongOffset.Headers.GetValues("Upload-Offset").Single());
    }

    [Fact]
    public async Task Options_advertises_the_tus_extensions_and_limits()
    {
        using var client = Factory.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/v1/uploads"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        var extensions = response.Headers.GetValues("Tus-Extension").Single().Split(',');
        Assert.Equal(["creation", "checksum", "termination", "expiration"], extensions);
        Assert.Equal("sha1,sha256", response.Headers.GetValues("Tus-Checksum-Algorithm").Single());
        Assert.Equal(AvLedgerFactory.MaxUploadSize.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Tus-Max-Size").Single());
    }

    [Fact]
    public async Task A_wrong_password_gets_no_token()
    {
        using var client = Factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "guess" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("bad-credentials", (await JsonAsync(response)).GetProperty("code").GetString());
    }
}
