using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Sessions;

public sealed class SessionTestsOnSqlite(SqliteFactory factory) : SessionTests<SqliteFactory>(factory);

public sealed class SessionTestsOnPostgres(PostgresFactory factory) : SessionTests<PostgresFactory>(factory);

/// <summary>Art. 9 and 11: segments grouped into enforcement sessions, gaps found and explained, what each officer owes.</summary>
public abstract class SessionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    DateTimeOffset Ago(int minutes) => factory.Clock.GetUtcNow().AddMinutes(-minutes);

    static async Task<string> UploadAsync(HttpClient client, int seconds, DateTimeOffset start, params (string, string)[] extra)
    {
        var status = await Tus.UploadAsync(client, await Tus.NewSampleAsync(seconds, start), extra: extra);
        Assert.Equal("stored", status.State);
        return status.RecordId!;
    }

    static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    static async Task<string?> SessionOfAsync(HttpClient client, string recordId) =>
        (await JsonAsync(client, $"/api/v1/records/{recordId}")).GetProperty("sessionId").GetString();

    [Fact]
    public async Task Recordings_of_one_officer_close_in_time_form_one_session_that_waits_for_its_activity_type()
    {
        var officer = await factory.PersonAsync();
        using var own = await factory.ClientAsync(officer);
        var first = await UploadAsync(own, 2, Ago(120));
        var second = await UploadAsync(own, 2, Ago(120).AddSeconds(40));
        var later = await UploadAsync(own, 2, Ago(120).AddMinutes(40));

        var session = await SessionOfAsync(own, first);
        Assert.NotNull(session);
        Assert.Equal(session, await SessionOfAsync(own, second));
        Assert.NotEqual(session, await SessionOfAsync(own, later));

        var view = await JsonAsync(own, $"/api/v1/sessions/{session}");
        Assert.True(view.GetProperty("autoGrouped").GetBoolean());
        Assert.True(view.GetProperty("activityTypeToBeCompleted").GetBoolean());
        Assert.True(view.GetProperty("flagged").GetBoolean());
        Assert.Equal([first, second], view.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("recordId").GetString()!).ToArray());
        Assert.Equal([officer.Badge], view.GetProperty("officers").EnumerateArray().Select(o => o.GetString()!).ToArray());
        var inbox = await JsonAsync(own, "/api/v1/inbox");
        Assert.Contains(inbox.GetProperty("sessionsToComplete").EnumerateArray(), s => s.GetProperty("sessionId").GetString() == session);

        using var unknown = await own.PatchAsJsonAsync($"/api/v1/sessions/{session}", new { activityType = "fishing" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await own.PatchAsJsonAsync($"/api/v1/sessions/{session}", new { activityType = "onSitePenalty", location = "渝中区解放碑" })).StatusCode);
        view = await JsonAsync(own, $"/api/v1/sessions/{session}");
        Assert.Equal("onSitePenalty", view.GetProperty("activityType").GetString());
        Assert.Equal("当场处罚", view.GetProperty("activityTypeName").GetString());
        Assert.False(view.GetProperty("flagged").GetBoolean());
        inbox = await JsonAsync(own, "/api/v1/inbox");
        Assert.DoesNotContain(inbox.GetProperty("sessionsToComplete").EnumerateArray(), s => s.GetProperty("sessionId").GetString() == session);
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"session.changed\"") && l.Contains(session!));
    }

    [Fact]
    public async Task A_device_already_in_a_session_brings_another_officers_recording_into_it_side_by_side()
    {
        var a = await factory.PersonAsync();
        var b = await factory.ColleagueAsync(a, Role.Officer);
        using var clientA = await factory.ClientAsync(a);
        using var clientB = await factory.ClientAsync(b);
        var start = Ago(90);
        var first = await UploadAsync(clientA, 4, start, ("deviceCode", a.DeviceCode));
        // B relays on A's recorder's session with the same device, overlapping in time.
        var relay = await UploadAsync(clientB, 4, start.AddSeconds(2), ("deviceCode", a.DeviceCode));
        var session = await SessionOfAsync(clientA, first);
        Assert.Equal(session, await SessionOfAsync(clientB, relay));

        var view = await JsonAsync(clientA, $"/api/v1/sessions/{session}");
        Assert.Equal(new[] { a.Badge, b.Badge }.Order().ToArray(), view.GetProperty("officers").EnumerateArray().Select(o => o.GetString()!).Order().ToArray());
        var lanes = view.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("lane").GetInt32()).ToArray();
        Assert.Equal([0, 1], lanes);
        Assert.Empty(view.GetProperty("gaps").EnumerateArray());
        // Taking part grants nothing beyond one's own records: B's segment is a span on A's timeline, unnamed.
        var segments = view.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal([first], segments.Where(s => s.GetProperty("visible").GetBoolean()).Select(s => s.GetProperty("recordId").GetString()!).ToArray());
        Assert.Single(segments, s => !s.GetProperty("visible").GetBoolean() && s.GetProperty("recordId").ValueKind == JsonValueKind.Null);
        foreach (var path in new[] { "", "/content", "/download", "/thumbnail" })
            Assert.Equal(HttpStatusCode.NotFound, (await clientA.GetAsync($"/api/v1/records/{relay}{path}")).StatusCode);
    }

    async Task<HttpClient> StationOfAsync(AvLedgerFactory.Person officer)
    {
        var code = "CJZ-" + officer.Badge;
        using var admin = await factory.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/devices", new { code, kind = "collectionStation", unitCode = officer.UnitCode })).EnsureSuccessStatusCode();
        using var issued = await admin.PostAsync($"/api/v1/stations/{code}/keys", null);
        using var doc = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        var station = factory.CreateClient();
        station.DefaultRequestHeaders.Authorization = new("Bearer", doc.RootElement.GetProperty("key").GetString());
        return station;
    }

    [Fact]
    public async Task An_upload_of_another_unit_naming_a_device_and_a_time_beside_a_recording_neither_joins_its_session_nor_opens_it()
    {
        var a = await factory.PersonAsync();
        var b = await factory.ColleagueAsync(a, Role.Officer);
        var intruder = await factory.PersonAsync();
        using var clientA = await factory.ClientAsync(a);
        using var clientB = await factory.ClientAsync(b);
        var start = Ago(60);
        var records = new[]
        {
            await UploadAsync(clientA, 3, start, ("deviceCode", a.DeviceCode)),
            await UploadAsync(clientB, 3, start.AddSeconds(1), ("deviceCode", a.DeviceCode)),
        };
        var session = await SessionOfAsync(clientA, records[0]);

        // The reported attack: a tiny file naming A's recorder and a time 6 s after A's recording, through the
        // intruder's own station (stations may name any registered device).
        using var station = await StationOfAsync(intruder);
        var status = await Tus.UploadAsync(station, await Tus.NewSampleAsync(1, start.AddSeconds(6)), extra: [("officerBadge", intruder.Badge), ("deviceCode", a.DeviceCode)]);
        Assert.Equal("stored", status.State);
        using var intruderClient = await factory.ClientAsync(intruder);
        var smuggled = Assert.Single((await JsonAsync(intruderClient, "/api/v1/records?pageSize=200")).GetProperty("items").EnumerateArray());
        Assert.NotEqual(session, smuggled.GetProperty("sessionId").GetString());
        Assert.Equal(2, (await JsonAsync(clientA, $"/api/v1/sessions/{session}")).GetProperty("segments").GetArrayLength());
        foreach (var id in records)
            foreach (var path in new[] { "", "/content", "/download" })
                Assert.Equal(HttpStatusCode.NotFound, (await intruderClient.GetAsync($"/api/v1/records/{id}{path}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruderClient.GetAsync($"/api/v1/sessions/{session}")).StatusCode);

        // Straight from the intruder's own account the same upload is refused: an officer's upload names a recorder of their unit.
        using var direct = await Tus.CreateAsync(intruderClient, "1024", Tus.Metadata(("filename", "x.mp4"), ("sha256", new string('a', 64)), ("deviceCode", a.DeviceCode)));
        Assert.Equal((HttpStatusCode)422, direct.StatusCode);
        Assert.Contains("device-not-of-your-unit", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_created_by_hand_names_only_officers_of_the_creators_unit_over_at_most_24_hours()
    {
        var creator = await factory.PersonAsync();
        var partner = await factory.ColleagueAsync(creator, Role.Officer);
        var victim = await factory.PersonAsync();
        var victimsColleague = await factory.ColleagueAsync(victim, Role.Officer);
        using var own = await factory.ClientAsync(creator);
        var decade = new { activityType = "jointEnforcement", officers = new[] { victim.Badge, victimsColleague.Badge },
            start = DateTimeOffset.Parse("2020-01-01T00:00:00+08:00", CultureInfo.InvariantCulture), end = DateTimeOffset.Parse("2030-01-01T00:00:00+08:00", CultureInfo.InvariantCulture) };
        using (var reported = await own.PostAsJsonAsync("/api/v1/sessions", decade))
        {
            Assert.Equal(HttpStatusCode.BadRequest, reported.StatusCode);
            Assert.Contains("session-span-too-long", await reported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var foreign = await own.PostAsJsonAsync("/api/v1/sessions", new { activityType = "jointEnforcement", officers = new[] { victim.Badge }, start = Ago(60), end = Ago(30) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
            var body = await foreign.Content.ReadAsStringAsync();
            Assert.Contains("officer-not-of-your-unit", body, StringComparison.Ordinal);
            Assert.Contains(victim.Badge, body, StringComparison.Ordinal);
        }
        using (var longDay = await own.PostAsJsonAsync("/api/v1/sessions", new { activityType = "inspection", officers = new[] { partner.Badge }, start = Ago(25 * 60 + 1), end = Ago(0) }))
            Assert.Equal(HttpStatusCode.BadRequest, longDay.StatusCode);
        using (var ok = await own.PostAsJsonAsync("/api/v1/sessions", new { activityType = "inspection", officers = new[] { partner.Badge }, start = Ago(24 * 60), end = Ago(0) }))
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);

        // The victims' later recordings stay theirs: nothing of the creator's reaches them.
        using var victimClient = await factory.ClientAsync(victim);
        var later = await UploadAsync(victimClient, 1, Ago(10), ("deviceCode", victim.DeviceCode));
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/api/v1/records/{later}/content")).StatusCode);
        using var creatorsSessions = await own.GetAsync("/api/v1/sessions?pageSize=200");
        Assert.DoesNotContain(await SessionOfAsync(victimClient, later) ?? "none", await creatorsSessions.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_naming_a_session_joins_it_only_when_the_session_is_of_the_records_unit()
    {
        var head = await factory.PersonAsync(Role.DepartmentHead);
        var officer = await factory.PersonAsync(Role.Officer, head.UnitCode);
        using var headClient = await factory.ClientAsync(head);
        using var created = await headClient.PostAsJsonAsync("/api/v1/sessions", new { activityType = "inspection", start = Ago(60), end = Ago(0) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        // A station of the head's unit knows the session, but the officer's record is of the sub-unit: refused.
        using var station = await StationOfAsync(head);
        using var refused = await Tus.CreateAsync(station, "1024", Tus.Metadata(("filename", "x.mp4"), ("sha256", new string('a', 64)),
            ("sessionId", session), ("officerBadge", officer.Badge), ("deviceCode", officer.DeviceCode)));
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Contains("session-unknown", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gap_over_a_minute_must_be_explained_and_a_late_segment_that_splits_it_keeps_the_report()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        var start = Ago(300);
        var first = await UploadAsync(own, 2, start);
        var resumed = await UploadAsync(own, 3, start.AddMinutes(6));
        var session = await SessionOfAsync(own, first);
        Assert.Equal(session, await SessionOfAsync(own, resumed));
        Assert.Equal(HttpStatusCode.NoContent, (await own.PatchAsJsonAsync($"/api/v1/sessions/{session}", new { activityType = "inspection" })).StatusCode);

        var view = await JsonAsync(own, $"/api/v1/sessions/{session}");
        var gap = Assert.Single(view.GetProperty("gaps").EnumerateArray());
        Assert.False(gap.GetProperty("explained").GetBoolean());
        Assert.InRange(gap.GetProperty("seconds").GetDouble(), 350, 360);
        Assert.True(view.GetProperty("flagged").GetBoolean());
        var gapId = gap.GetProperty("id").GetString();
        var inbox = await JsonAsync(own, "/api/v1/inbox");
        Assert.Contains(inbox.GetProperty("gaps").EnumerateArray(), g => g.GetProperty("gapId").GetString() == gapId);

        using (var badReason = await own.PostAsJsonAsync($"/api/v1/sessions/{session}/interruptions", new { gapId, reason = "tired", reportedTo = head.Username, documentNote = "说明" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
            Assert.Contains("battery", await badReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var noGap = await own.PostAsJsonAsync($"/api/v1/sessions/{session}/interruptions", new { gapId = "1-2", reason = "battery", reportedTo = head.Username, documentNote = "说明" }))
            Assert.Equal(HttpStatusCode.NotFound, noGap.StatusCode);
        using (var notAHead = await own.PostAsJsonAsync($"/api/v1/sessions/{session}/interruptions", new { gapId, reason = "battery", reportedTo = officer.Username, documentNote = "说明" }))
            Assert.Equal(HttpStatusCode.BadRequest, notAHead.StatusCode);
        using (var headClient = await factory.ClientAsync(head))
        using (var byHead = await headClient.PostAsJsonAsync($"/api/v1/sessions/{session}/interruptions", new { gapId, reason = "battery", reportedTo = head.Username, documentNote = "说明" }))
            Assert.Equal(HttpStatusCode.Forbidden, byHead.StatusCode);
        Assert.False((await JsonAsync(own, $"/api/v1/sessions/{session}")).GetProperty("gaps")[0].GetProperty("explained").GetBoolean());

        using var reported = await own.PostAsJsonAsync($"/api/v1/sessions/{session}/interruptions",
            new { gapId, reason = "battery", explanationRecordId = resumed, explanationOffsetSeconds = 1.5, reportedTo = head.Badge, documentNote = "执法记录仪电量耗尽，更换电池后继续录制，已在笔录中注明" });
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var reportId = JsonDocument.Parse(await reported.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        view = await JsonAsync(own, $"/api/v1/sessions/{session}");
        Assert.True(view.GetProperty("gaps")[0].GetProperty("explained").GetBoolean());
        Assert.False(view.GetProperty("flagged").GetBoolean());
        var report = Assert.Single(view.GetProperty("reports").EnumerateArray());
        Assert.Equal("battery", report.GetProperty("reason").GetString());
        Assert.Equal(head.DisplayName, report.GetProperty("reportedTo").GetString());
        var leaf = Assert.Single(await factory.LedgerLeavesAsync(), l => l.Contains("\"session.interruption-reported\"") && l.Contains(reportId!));
        Assert.DoesNotContain("电量耗尽", leaf, StringComparison.Ordinal);
        Assert.DoesNotContain((await JsonAsync(own, "/api/v1/inbox")).GetProperty("gaps").EnumerateArray(), g => g.GetProperty("sessionId").GetString() == session);

        // A recording from the middle of the gap arrives late: two shorter gaps, both still explained by the report.
        await UploadAsync(own, 2, start.AddMinutes(3));
        view = await JsonAsync(own, $"/api/v1/sessions/{session}");
        Assert.Equal(3, view.GetProperty("segments").GetArrayLength());
        var gaps = view.GetProperty("gaps").EnumerateArray().ToList();
        Assert.Equal(2, gaps.Count);
        Assert.All(gaps, g => Assert.Equal(reportId, g.GetProperty("reportId").GetString()));
        Assert.Equal(0, view.GetProperty("unexplainedGaps").GetInt32());
    }

    [Fact]
    public async Task A_session_created_by_hand_collects_uploads_that_name_it()
    {
        var officer = await factory.PersonAsync();
        var partner = await factory.ColleagueAsync(officer, Role.Officer);
        var stranger = await factory.PersonAsync();
        using var own = await factory.ClientAsync(officer);
        using var created = await own.PostAsJsonAsync("/api/v1/sessions", new { activityType = "jointEnforcement", title = "联合治超", location = "G75 高速收费站", officers = new[] { partner.Badge } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var record = await UploadAsync(own, 2, Ago(30), ("sessionId", session));
        Assert.Equal(session, await SessionOfAsync(own, record));
        var view = await JsonAsync(own, $"/api/v1/sessions/{session}");
        Assert.False(view.GetProperty("autoGrouped").GetBoolean());
        Assert.Equal("联合治超", view.GetProperty("title").GetString());
        Assert.Contains(partner.Badge, view.GetProperty("officers").EnumerateArray().Select(o => o.GetString()));
        using (var partnerClient = await factory.ClientAsync(partner))
            Assert.Equal(HttpStatusCode.OK, (await partnerClient.GetAsync($"/api/v1/sessions/{session}")).StatusCode);
        using var strangerClient = await factory.ClientAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync($"/api/v1/sessions/{session}")).StatusCode);
        // A stranger cannot slip a recording into it.
        using var smuggled = await Tus.CreateAsync(strangerClient, "1024", Tus.Metadata(("filename", "x.mp4"), ("sha256", new string('a', 64)), ("deviceCode", stranger.DeviceCode), ("sessionId", session)));
        Assert.Equal((HttpStatusCode)422, smuggled.StatusCode);
        Assert.Contains("session-unknown", await smuggled.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var badBadge = await own.PostAsJsonAsync("/api/v1/sessions", new { activityType = "inspection", officers = new[] { "999999" } });
        Assert.Equal(HttpStatusCode.BadRequest, badBadge.StatusCode);
        Assert.Contains("999999", await badBadge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_content_markers_are_ledgered_without_their_text_and_leave_the_records_ledger_index_alone()
    {
        var officer = await factory.PersonAsync();
        var auditor = await factory.ColleagueAsync(officer, Role.Auditor);
        using var own = await factory.ClientAsync(officer);
        var record = await UploadAsync(own, 4, Ago(20));
        await factory.WorkersIdleAsync();
        var sequenced = (await JsonAsync(own, $"/api/v1/records/{record}")).GetProperty("ledgerIndex");
        Assert.Equal(JsonValueKind.Number, sequenced.ValueKind);
        var index = sequenced.GetInt64();

        using (var added = await own.PostAsJsonAsync($"/api/v1/records/{record}/markers", new { offsetSeconds = 2.5, category = "documentsAndMeasures", note = "当事人签收处罚决定书" }))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using (var outside = await own.PostAsJsonAsync($"/api/v1/records/{record}/markers", new { offsetSeconds = 60, category = "scene", note = "" }))
            Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        using (var unknown = await own.PostAsJsonAsync($"/api/v1/records/{record}/markers", new { offsetSeconds = 1, category = "weather", note = "" }))
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using (var auditorClient = await factory.ClientAsync(auditor))
        {
            // Auditors read markers (inspections check they are there) but do not add them.
            Assert.Equal(HttpStatusCode.Forbidden, (await auditorClient.PostAsJsonAsync($"/api/v1/records/{record}/markers", new { offsetSeconds = 1, category = "scene", note = "" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await auditorClient.GetAsync($"/api/v1/records/{record}/markers")).StatusCode);
        }

        var marker = Assert.Single((await JsonAsync(own, $"/api/v1/records/{record}/markers")).EnumerateArray());
        Assert.Equal(2.5, marker.GetProperty("offsetSeconds").GetDouble());
        Assert.Equal("documentsAndMeasures", marker.GetProperty("category").GetString());
        var leaf = Assert.Single(await factory.LedgerLeavesAsync(), l => l.Contains("\"record.marker\"") && l.Contains(record));
        Assert.DoesNotContain("签收", leaf, StringComparison.Ordinal);
        // Once the sequencer has taken the marker's leaf, the record still points at its ingest leaf.
        await factory.WorkersIdleAsync();
        Assert.Equal(index, (await JsonAsync(own, $"/api/v1/records/{record}")).GetProperty("ledgerIndex").GetInt64());
    }

    [Fact]
    public async Task An_activity_not_recorded_is_reported_and_acknowledged_by_a_head_over_the_officer()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var otherHead = await factory.PersonAsync(Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        using (var future = await own.PostAsJsonAsync("/api/v1/no-recording-reports", new { activityType = "emergency", from = factory.Clock.GetUtcNow().AddHours(1), place = "朝天门", reason = "urgent", note = "x" }))
            Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        using var created = await own.PostAsJsonAsync("/api/v1/no-recording-reports",
            new { activityType = "emergency", from = Ago(200), to = Ago(150), place = "朝天门码头", reason = "noDevice", note = "突发群体事件，随身未携带执法记录仪，已报告负责人并在笔录注明" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var headClient = await factory.ClientAsync(head);
        var row = Assert.Single((await JsonAsync(headClient, "/api/v1/no-recording-reports")).EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.False(row.GetProperty("acknowledged").GetBoolean());
        Assert.Equal("noDevice", row.GetProperty("reason").GetString());
        using (var otherClient = await factory.ClientAsync(otherHead))
        {
            Assert.DoesNotContain((await JsonAsync(otherClient, "/api/v1/no-recording-reports")).EnumerateArray(), r => r.GetProperty("id").GetString() == id);
            Assert.Equal(HttpStatusCode.NotFound, (await otherClient.PostAsync($"/api/v1/no-recording-reports/{id}/ack", null)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await own.PostAsync($"/api/v1/no-recording-reports/{id}/ack", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await headClient.PostAsync($"/api/v1/no-recording-reports/{id}/ack", null)).StatusCode);
        Assert.True(Assert.Single((await JsonAsync(own, "/api/v1/no-recording-reports")).EnumerateArray(), r => r.GetProperty("id").GetString() == id).GetProperty("acknowledged").GetBoolean());
        Assert.Equal(2, (await factory.LedgerLeavesAsync()).Count(l => l.Contains("\"no-recording.") && l.Contains(id!)));
    }
}
