using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Media;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Ingest;

public sealed class RecordedTimeTestsOnSqlite(SqliteFactory factory) : RecordedTimeTests<SqliteFactory>(factory);

public sealed class RecordedTimeTestsOnPostgres(PostgresFactory factory) : RecordedTimeTests<PostgresFactory>(factory);

/// <summary>Facts come from the evidence, not from the person judged: the media's own creation time
/// decides; the uploader's claim is kept beside it and flagged when it differs; with no time at all the
/// record is 录制时间未知 until a head (not its own officer) confirms one; every upload names a registered device.</summary>
public abstract class RecordedTimeTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static readonly TimeSpan Beijing = TimeSpan.FromHours(8);


    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    static async Task<JsonElement> RecordAsync(HttpClient client, string id) => await JsonAsync(await client.GetAsync($"/api/v1/records/{id}"));

    static DateTimeOffset Whole(DateTimeOffset t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));

    static string Rfc3339(DateTimeOffset t) => t.ToOffset(Beijing).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    static int made;

    /// <summary>A real MP4 whose container carries no creation time (ffmpeg writes none unless told).</summary>
    static async Task<byte[]> WithoutMediaTimeAsync()
    {
        var dir = Directory.CreateTempSubdirectory("avledger-notime-").FullName;
        try
        {
            var path = Path.Combine(dir, "clip.mp4");
            var result = await Ffmpeg.RunAsync(Ffmpeg.FfmpegPath,
            [
                "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-fflags", "+bitexact",
                "-metadata", $"comment=no time {Interlocked.Increment(ref made)} {Guid.NewGuid():N}", path,
            ], default);
            Assert.Equal(0, result.ExitCode);
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static async Task<List<JsonElement>> FlaggedAsync(HttpClient head) =>
        [.. (await JsonAsync(await head.GetAsync("/api/v1/compliance/recorded-times"))).EnumerateArray()];

    [Fact]
    public async Task A_typed_time_does_not_override_the_files_own_and_a_different_claim_is_flagged_for_the_head()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        // Recorded three days ago, saved now; the officer types a time ten minutes ago to look on time.
        var media = Whole(factory.Clock.GetUtcNow().AddDays(-3));
        var claimed = Whole(factory.Clock.GetUtcNow().AddMinutes(-10));
        var status = await Tus.UploadAsync(own, await Tus.NewSampleAsync(2, media), fileName: "clip.mp4", extra: ("recordedAt", Rfc3339(claimed)));

        var record = await RecordAsync(own, status.RecordId!);
        Assert.Equal("container", record.GetProperty("recordedStartSource").GetString());
        Assert.Equal(media, record.GetProperty("recordedStart").GetDateTimeOffset());
        Assert.Equal(claimed, record.GetProperty("claimedRecordedStart").GetDateTimeOffset());
        Assert.True(record.GetProperty("recordedTimeDiscrepancy").GetBoolean());
        Assert.Equal("discrepant", record.GetProperty("recordedTimeFlag").GetString());
        // The 24-hour rule and the 180-day floor follow the media, not the claim.
        Assert.True(record.GetProperty("lateSave").GetBoolean());
        Assert.Equal(DateOnly.FromDateTime(media.ToOffset(Beijing).DateTime).AddDays(180).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            record.GetProperty("retainUntil").GetString());

        using var headClient = await factory.ClientAsync(head);
        var row = Assert.Single(await FlaggedAsync(headClient), r => r.GetProperty("recordId").GetString() == status.RecordId);
        Assert.Equal("discrepant", row.GetProperty("flag").GetString());
        Assert.Equal(media, row.GetProperty("mediaTime").GetDateTimeOffset());
        Assert.Equal(claimed, row.GetProperty("claimedRecordedStart").GetDateTimeOffset());
        // The media's time stands: no head sets it by hand.
        using var confirm = await headClient.PostAsJsonAsync($"/api/v1/records/{status.RecordId}/recorded-time", new { start = Rfc3339(claimed) });
        Assert.Equal(HttpStatusCode.Conflict, confirm.StatusCode);
        Assert.Equal("recorded-time-settled", (await JsonAsync(confirm)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_claim_within_the_tolerance_of_the_files_time_is_not_flagged()
    {
        var (own, _) = await factory.OfficerAsync();
        var media = Whole(factory.Clock.GetUtcNow().AddHours(-1));
        var status = await Tus.UploadAsync(own, await Tus.NewSampleAsync(2, media), fileName: "clip.mp4", extra: ("recordedAt", Rfc3339(media.AddSeconds(40))));
        var record = await RecordAsync(own, status.RecordId!);
        Assert.Equal(media, record.GetProperty("recordedStart").GetDateTimeOffset());
        Assert.False(record.GetProperty("recordedTimeDiscrepancy").GetBoolean());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("recordedTimeFlag").ValueKind);
    }

    [Fact]
    public async Task With_no_time_in_the_file_the_claim_is_used_and_marked_unconfirmed()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        var claimed = Whole(factory.Clock.GetUtcNow().AddHours(-2));
        var status = await Tus.UploadAsync(own, await WithoutMediaTimeAsync(), fileName: "clip.mp4", extra: ("recordedAt", Rfc3339(claimed)));
        var record = await RecordAsync(own, status.RecordId!);
        Assert.Equal("metadata", record.GetProperty("recordedStartSource").GetString());
        Assert.Equal(claimed, record.GetProperty("recordedStart").GetDateTimeOffset());
        Assert.Equal("unconfirmed", record.GetProperty("recordedTimeFlag").GetString());
        using var headClient = await factory.ClientAsync(head);
        Assert.Equal("unconfirmed", Assert.Single(await FlaggedAsync(headClient), r => r.GetProperty("recordId").GetString() == status.RecordId).GetProperty("flag").GetString());
    }

    [Fact]
    public async Task With_no_time_at_all_the_record_is_unknown_never_on_time_not_grouped_until_a_head_confirms_one()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        var status = await Tus.UploadAsync(own, await WithoutMediaTimeAsync(), fileName: "clip.mp4");
        var id = status.RecordId!;
        var savedDay = DateOnly.FromDateTime(factory.Clock.GetUtcNow().ToOffset(Beijing).DateTime);

        var record = await RecordAsync(own, id);
        Assert.Equal("unknown", record.GetProperty("recordedStartSource").GetString());
        Assert.Equal("unknown", record.GetProperty("recordedTimeFlag").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("lateSave").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("sessionId").ValueKind);
        Assert.Equal(savedDay.AddDays(180).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), record.GetProperty("retainUntil").GetString());
        var onTime = await JsonAsync(await own.GetAsync("/api/v1/records?lateSave=false&pageSize=200"));
        Assert.DoesNotContain(onTime.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        // Nothing to explain while nobody knows whether it was late.
        using var reason = await own.PostAsJsonAsync($"/api/v1/records/{id}/late-save-reason", new { text = "不知道" });
        Assert.Equal("recorded-time-unknown", (await JsonAsync(reason)).GetProperty("code").GetString());

        using var headClient = await factory.ClientAsync(head);
        Assert.Equal("unknown", Assert.Single(await FlaggedAsync(headClient), r => r.GetProperty("recordId").GetString() == id).GetProperty("flag").GetString());
        // The officer is not the one to say when they recorded.
        Assert.Equal(HttpStatusCode.Forbidden, (await own.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start = Rfc3339(factory.Clock.GetUtcNow().AddDays(-2)) })).StatusCode);
        using var malformed = await headClient.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start = "昨天" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var afterSave = await headClient.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start = Rfc3339(factory.Clock.GetUtcNow().AddHours(1)) });
        Assert.Equal(HttpStatusCode.BadRequest, afterSave.StatusCode);

        var confirmed = Whole(factory.Clock.GetUtcNow().AddDays(-2));
        Assert.Equal(HttpStatusCode.NoContent, (await headClient.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start = Rfc3339(confirmed) })).StatusCode);
        record = await RecordAsync(own, id);
        Assert.Equal("confirmed", record.GetProperty("recordedStartSource").GetString());
        Assert.Equal(confirmed, record.GetProperty("recordedStart").GetDateTimeOffset());
        Assert.True(record.GetProperty("lateSave").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, record.GetProperty("sessionId").ValueKind);
        Assert.Equal(DateOnly.FromDateTime(confirmed.ToOffset(Beijing).DateTime).AddDays(180).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), record.GetProperty("retainUntil").GetString());
        Assert.DoesNotContain(await FlaggedAsync(headClient), r => r.GetProperty("recordId").GetString() == id);
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"record.recorded-time-confirmed\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        // Once is all: a confirmed time is settled.
        Assert.Equal(HttpStatusCode.Conflict, (await headClient.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start = Rfc3339(confirmed.AddHours(-1)) })).StatusCode);
    }

    [Fact]
    public async Task A_head_cannot_confirm_the_time_of_their_own_record()
    {
        var officerHead = await factory.PersonAsync(Role.Officer | Role.DepartmentHead);
        var otherHead = await factory.ColleagueAsync(officerHead, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officerHead);
        var id = (await Tus.UploadAsync(own, await WithoutMediaTimeAsync(), fileName: "clip.mp4")).RecordId!;
        var start = Rfc3339(factory.Clock.GetUtcNow().AddHours(-3));
        using var self = await own.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal("own-record", (await JsonAsync(self)).GetProperty("code").GetString());
        using var other = await factory.ClientAsync(otherHead);
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start })).StatusCode);
    }

    [Fact]
    public async Task A_head_of_another_unit_does_not_learn_of_the_record()
    {
        var (own, _) = await factory.OfficerAsync();
        var stranger = await factory.PersonAsync(Role.DepartmentHead);
        var id = (await Tus.UploadAsync(own, await WithoutMediaTimeAsync(), fileName: "clip.mp4")).RecordId!;
        using var client = await factory.ClientAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/v1/records/{id}/recorded-time", new { start = Rfc3339(factory.Clock.GetUtcNow().AddHours(-3)) })).StatusCode);
        Assert.DoesNotContain(await FlaggedAsync(client), r => r.GetProperty("recordId").GetString() == id);
    }

    [Fact]
    public async Task An_upload_naming_no_device_or_an_unregistered_one_is_refused_before_any_byte()
    {
        var (own, _) = await factory.OfficerAsync();
        var file = await Tus.NewSampleAsync(1);
        var length = file.Length.ToString(CultureInfo.InvariantCulture);
        using var none = await Tus.CreateAsync(own, length, Tus.Metadata(("filename", "clip.mp4"), ("sha256", Tus.Sha256(file))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        var problem = await JsonAsync(none);
        Assert.Equal("device-required", problem.GetProperty("code").GetString());
        Assert.Contains("设备", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var unknown = await Tus.CreateAsync(own, length, Tus.Metadata(("filename", "clip.mp4"), ("sha256", Tus.Sha256(file)), ("deviceCode", "NO-SUCH-DEVICE")));
        Assert.Equal("device-unknown", (await JsonAsync(unknown)).GetProperty("code").GetString());
        var foreign = await factory.PersonAsync();
        using var other = await Tus.CreateAsync(own, length, Tus.Metadata(("filename", "clip.mp4"), ("sha256", Tus.Sha256(file)), ("deviceCode", foreign.DeviceCode)));
        Assert.Equal("device-not-of-your-unit", (await JsonAsync(other)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_devices_an_uploader_may_name_are_their_units()
    {
        var officer = await factory.PersonAsync();
        var foreign = await factory.PersonAsync();
        using var own = await factory.ClientAsync(officer);
        var codes = (await JsonAsync(await own.GetAsync("/api/v1/uploads/devices"))).EnumerateArray().Select(d => d.GetProperty("code").GetString()).ToList();
        Assert.Contains(officer.DeviceCode, codes);
        Assert.DoesNotContain(foreign.DeviceCode, codes);
    }
}
