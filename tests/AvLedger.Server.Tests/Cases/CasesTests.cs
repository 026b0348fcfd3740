using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Cases;

public sealed class CasesTestsOnSqlite(SqliteFactory factory) : CasesTests<SqliteFactory>(factory);

public sealed class CasesTestsOnPostgres(PostgresFactory factory) : CasesTests<PostgresFactory>(factory);

/// <summary>Art. 15 (R-15a/b): cases, their links by hand and from the enforcement management system.</summary>
public abstract class CasesTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static int serial;

    static string NewNumber() => string.Create(CultureInfo.InvariantCulture, $"渝交执罚〔2026〕{Interlocked.Increment(ref serial):D4}-{Guid.NewGuid().ToString("N")[..6]}号");


    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    static string Rfc3339(DateTimeOffset t) => RecordingTimes.ToChina(t).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Officer A recorded a two-second clip an hour ago in unit A; Legal A handles unit A's cases.</summary>
    sealed record World(AvLedgerFactory.Person Officer, AvLedgerFactory.Person Legal, string RecordId, DateTimeOffset RecordedStart, DateTimeOffset RecordedEnd);

    async Task<World> WorldAsync(bool withRecord = true)
    {
        var officer = await factory.PersonAsync();
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        if (!withRecord) return new World(officer, legal, "", default, default);
        using var client = await factory.ClientAsync(officer);
        var id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(2, factory.Clock.GetUtcNow().AddHours(-1)))).RecordId!;
        var record = await JsonAsync(await client.GetAsync($"/api/v1/records/{id}"));
        return new World(officer, legal, id, record.GetProperty("recordedStart").GetDateTimeOffset(), record.GetProperty("recordedEnd").GetDateTimeOffset());
    }

    static async Task CreateCaseAsync(HttpClient client, string number, AvLedgerFactory.Person of, string? plates = null, string? parties = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/cases", new { number, title = "货车超限运输案", type = "行政处罚", unitCode = of.UnitCode, plates, parties });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    static async Task<JsonElement> ImportEventsAsync(HttpClient client, object events)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/enforcement-events/import", events);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    static async Task<List<JsonElement>> LinksAsync(HttpClient client, string number)
    {
        using var response = await client.GetAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await JsonAsync(response)).GetProperty("links").EnumerateArray()];
    }

    static async Task<List<string>> SearchAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/records?{query}");
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task A_legal_officer_enters_a_case_in_their_unit_and_another_branch_cannot_see_it()
    {
        var w = await WorldAsync(withRecord: false);
        using var legal = await factory.ClientAsync(w.Legal);
        var number = NewNumber();
        await CreateCaseAsync(legal, number, w.Officer, plates: "渝A12345");
        var detail = await JsonAsync(await legal.GetAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}"));
        Assert.Equal("open", detail.GetProperty("case").GetProperty("status").GetString());
        Assert.Equal(w.Officer.UnitCode, detail.GetProperty("case").GetProperty("unitCode").GetString());

        using var again = await legal.PostAsJsonAsync("/api/v1/cases", new { number, title = "重复", unitCode = w.Officer.UnitCode });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("already-exists", (await JsonAsync(again)).GetProperty("code").GetString());

        var otherBranch = await factory.PersonAsync(Role.LegalOfficer);
        using var other = await factory.ClientAsync(otherBranch);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}")).StatusCode);
        Assert.DoesNotContain((await other.GetFromJsonAsync<JsonElement>("/api/v1/cases")).EnumerateArray(), c => c.GetProperty("number").GetString() == number);
        using var outside = await other.PostAsJsonAsync("/api/v1/cases", new { number = NewNumber(), title = "越权", unitCode = w.Officer.UnitCode });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal("case-invalid", (await JsonAsync(outside)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_event_links_the_officers_record_within_the_buffer_and_says_why_but_not_one_outside_it()
    {
        var w = await WorldAsync();
        using var legal = await factory.ClientAsync(w.Legal);
        var near = NewNumber();
        var far = NewNumber();
        await CreateCaseAsync(legal, near, w.Officer);
        await CreateCaseAsync(legal, far, w.Officer);
        // The record ended 10 minutes before the first event began (inside 15); 20 minutes before the second (outside).
        var nearStart = w.RecordedEnd.AddMinutes(10);
        var result = await ImportEventsAsync(legal, new object[]
        {
            new { externalId = $"EV-{near}", officerBadge = w.Officer.Badge, start = Rfc3339(nearStart), end = Rfc3339(nearStart.AddMinutes(30)), place = "G75 兰海高速收费站", caseNumber = near },
            new { externalId = $"EV-{far}", officerBadge = w.Officer.Badge, start = Rfc3339(w.RecordedEnd.AddMinutes(20)), end = Rfc3339(w.RecordedEnd.AddMinutes(40)), place = "江北", caseNumber = far },
        });
        Assert.Equal(2, result.GetProperty("events").GetInt32());
        Assert.Equal(1, result.GetProperty("links").GetInt32());
        Assert.False(result.TryGetProperty("recordIds", out _));

        var link = Assert.Single(await LinksAsync(legal, near));
        Assert.Equal(w.RecordId, link.GetProperty("recordId").GetString());
        Assert.True(link.GetProperty("automatic").GetBoolean());
        var reason = link.GetProperty("reason").GetString()!;
        Assert.Contains(w.Officer.Badge, reason, StringComparison.Ordinal);
        Assert.Contains(RecordingTimes.ToChina(nearStart).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), reason, StringComparison.Ordinal);
        Assert.Contains("北京时间", reason, StringComparison.Ordinal);
        Assert.Contains("G75 兰海高速收费站", reason, StringComparison.Ordinal);
        Assert.Contains("15 分钟", reason, StringComparison.Ordinal);
        Assert.Empty(await LinksAsync(legal, far));

        var leaves = await factory.LedgerLeavesAsync();
        Assert.Contains(leaves, l => l.Contains("\"kind\":\"case.linked\"", StringComparison.Ordinal) && l.Contains(w.RecordId, StringComparison.Ordinal) && l.Contains("\"automatic\":true", StringComparison.Ordinal));
        Assert.DoesNotContain(leaves, l => l.Contains("兰海", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_that_arrives_before_its_case_links_once_the_case_is_imported_by_csv()
    {
        var w = await WorldAsync();
        using var legal = await factory.ClientAsync(w.Legal);
        var number = NewNumber();
        var first = await ImportEventsAsync(legal, new[] { new { externalId = (string?)null, officerBadge = w.Officer.Badge, start = Rfc3339(w.RecordedStart.AddMinutes(-5)), end = Rfc3339(w.RecordedEnd.AddMinutes(5)), place = (string?)null, caseNumber = number } });
        Assert.Equal(0, first.GetProperty("links").GetInt32());

        var csv = $"number,title,type,status,unitCode,plates,parties\n{number},道路运输违法案,行政处罚,open,{w.Officer.UnitCode},渝B54321,张三\n";
        using var response = await legal.PostAsync("/api/v1/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var counts = await JsonAsync(response);
        Assert.Equal(1, counts.GetProperty("cases").GetInt32());
        Assert.Equal(1, counts.GetProperty("links").GetInt32());
        Assert.Equal(w.RecordId, Assert.Single(await LinksAsync(legal, number)).GetProperty("recordId").GetString());

        // The same file again changes nothing and links nothing twice.
        using var again = await legal.PostAsync("/api/v1/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(0, (await JsonAsync(again)).GetProperty("links").GetInt32());
        Assert.Single(await LinksAsync(legal, number));
    }

    [Fact]
    public async Task A_csv_import_with_a_bad_line_names_it_and_imports_nothing()
    {
        var w = await WorldAsync(withRecord: false);
        using var legal = await factory.ClientAsync(w.Legal);
        var good = NewNumber();
        var csv = $"number,title,unitCode\n{good},好的一行,{w.Officer.UnitCode}\n{NewNumber()},,{w.Officer.UnitCode}\n{NewNumber()},未知单位,NO-SUCH-UNIT\n";
        using var response = await legal.PostAsync("/api/v1/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        Assert.Equal("import-invalid", problem.GetProperty("code").GetString());
        Assert.Equal([3, 4], problem.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("line").GetInt32()).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await legal.GetAsync($"/api/v1/cases/{Uri.EscapeDataString(good)}")).StatusCode);

        using var events = await legal.PostAsJsonAsync("/api/v1/enforcement-events/import", new object[]
        {
            new { officerBadge = w.Officer.Badge, start = "2026-11-20T09:00:00+08:00", end = "2026-11-20T10:00:00+08:00", caseNumber = good },
            new { officerBadge = w.Officer.Badge, start = "昨天上午", end = "2026-11-20T10:00:00+08:00", caseNumber = good },
        });
        Assert.Equal(HttpStatusCode.BadRequest, events.StatusCode);
        var line = Assert.Single((await JsonAsync(events)).GetProperty("lines").EnumerateArray());
        Assert.Equal(2, line.GetProperty("line").GetInt32());
        Assert.Contains("start", line.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_sent_twice_is_stored_once()
    {
        var w = await WorldAsync(withRecord: false);
        using var legal = await factory.ClientAsync(w.Legal);
        var csv = $"externalId,officerBadge,start,end,place,caseNumber\nEV-{Guid.NewGuid():N},{w.Officer.Badge},2026-11-20 09:00:00,2026-11-20 10:00:00,渝中,{NewNumber()}\n";
        using var first = await legal.PostAsync("/api/v1/enforcement-events/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(1, (await JsonAsync(first)).GetProperty("events").GetInt32());
        using var second = await legal.PostAsync("/api/v1/enforcement-events/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var counts = await JsonAsync(second);
        Assert.Equal(0, counts.GetProperty("events").GetInt32());
        Assert.Equal(1, counts.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task Records_are_found_by_case_number_plate_and_party()
    {
        var w = await WorldAsync();
        using var legal = await factory.ClientAsync(w.Legal);
        var number = NewNumber();
        var plate = $"渝D{Random.Shared.Next(10000, 99999)}";
        var party = $"重庆某物流有限公司{Guid.NewGuid().ToString("N")[..4]}";
        await CreateCaseAsync(legal, number, w.Officer, plates: plate, parties: party);
        using (var linked = await legal.PostAsJsonAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}/links", new { recordId = w.RecordId }))
            Assert.Equal(HttpStatusCode.Created, linked.StatusCode);

        using var officer = await factory.ClientAsync(w.Officer);
        Assert.Equal([w.RecordId], await SearchAsync(officer, $"case={Uri.EscapeDataString(number)}"));
        Assert.Equal([w.RecordId], await SearchAsync(officer, $"q={Uri.EscapeDataString(plate)}"));
        Assert.Equal([w.RecordId], await SearchAsync(officer, $"q={Uri.EscapeDataString(party)}"));
        Assert.Empty(await SearchAsync(officer, $"q={Uri.EscapeDataString("不存在的当事人" + Guid.NewGuid())}"));
        Assert.Empty(await SearchAsync(officer, $"case={Uri.EscapeDataString(NewNumber())}"));
        // The officer sees the case their record is linked to.
        Assert.Contains((await officer.GetFromJsonAsync<JsonElement>("/api/v1/cases")).EnumerateArray(), c => c.GetProperty("number").GetString() == number);
    }

    [Fact]
    public async Task A_link_by_hand_is_made_once_ledgered_and_only_for_a_record_the_handler_may_see()
    {
        var w = await WorldAsync();
        using var legal = await factory.ClientAsync(w.Legal);
        var number = NewNumber();
        await CreateCaseAsync(legal, number, w.Officer);
        var path = $"/api/v1/cases/{Uri.EscapeDataString(number)}/links";
        using (var first = await legal.PostAsJsonAsync(path, new { recordId = w.RecordId })) Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var second = await legal.PostAsJsonAsync(path, new { recordId = w.RecordId })) Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        var stranger = await factory.PersonAsync();
        using var strangerClient = await factory.ClientAsync(stranger);
        var foreign = (await Tus.UploadAsync(strangerClient, await Tus.NewSampleAsync(1))).RecordId!;
        using (var hidden = await legal.PostAsJsonAsync(path, new { recordId = foreign })) Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        var link = Assert.Single(await LinksAsync(legal, number));
        Assert.False(link.GetProperty("automatic").GetBoolean());
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"kind\":\"case.linked\"", StringComparison.Ordinal) && l.Contains(w.RecordId, StringComparison.Ordinal) && l.Contains("\"automatic\":false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_case_closes_then_archives_never_backwards_and_each_change_is_ledgered()
    {
        var w = await WorldAsync(withRecord: false);
        using var legal = await factory.ClientAsync(w.Legal);
        var number = NewNumber();
        await CreateCaseAsync(legal, number, w.Officer);
        var path = $"/api/v1/cases/{Uri.EscapeDataString(number)}";
        using (var skip = await legal.PatchAsJsonAsync(path, new { status = "archived" })) Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        using (var closed = await legal.PatchAsJsonAsync(path, new { status = "closed" }))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
            var view = await JsonAsync(closed);
            Assert.Equal("closed", view.GetProperty("status").GetString());
            // PostgreSQL keeps microseconds.
            Assert.Equal(factory.Clock.GetUtcNow().UtcTicks / 10, view.GetProperty("closedAt").GetDateTimeOffset().UtcTicks / 10);
        }
        using (var reopen = await legal.PatchAsJsonAsync(path, new { status = "open" })) Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        using (var archived = await legal.PatchAsJsonAsync(path, new { status = "archived" })) Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        var id = (await JsonAsync(await legal.GetAsync(path))).GetProperty("case").GetProperty("id").GetString()!;
        var statuses = (await factory.LedgerLeavesAsync()).Where(l => l.Contains("\"kind\":\"case.status\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, statuses.Count);
        Assert.Contains(statuses, l => l.Contains("\"status\":\"Archived\"", StringComparison.Ordinal));

        var inspector = await factory.ColleagueAsync(w.Officer, Role.Inspector);
        using var inspectorClient = await factory.ClientAsync(inspector);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspectorClient.PatchAsJsonAsync(path, new { status = "closed" })).StatusCode);
    }

    [Fact]
    public async Task An_access_request_naming_a_case_reaches_the_records_linked_to_it()
    {
        var w = await WorldAsync();
        var head = await factory.ColleagueAsync(w.Officer, Role.DepartmentHead);
        using var legal = await factory.ClientAsync(w.Legal);
        var number = NewNumber();
        await CreateCaseAsync(legal, number, w.Officer);
        (await legal.PostAsJsonAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}/links", new { recordId = w.RecordId })).EnsureSuccessStatusCode();

        var outsider = await factory.PersonAsync();
        using var requester = await factory.ClientAsync(outsider);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{w.RecordId}")).StatusCode);
        using var created = await requester.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "复议案件需查看现场录像", days = 2, caseNumber = number });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var requestId = (await JsonAsync(created)).GetProperty("id").GetString();
        using var approver = await factory.ClientAsync(head);
        using var approved = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意", password = head.Password });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/records/{w.RecordId}")).StatusCode);
    }

    [Fact]
    public async Task A_record_that_arrives_after_its_event_is_linked_once_by_the_ingest_rule()
    {
        var w = await WorldAsync(withRecord: false);
        using var legal = await factory.ClientAsync(w.Legal);
        var number = NewNumber();
        await CreateCaseAsync(legal, number, w.Officer);
        var start = factory.Clock.GetUtcNow().AddHours(-2);
        var imported = await ImportEventsAsync(legal, new[] { new { officerBadge = w.Officer.Badge, start = Rfc3339(start.AddMinutes(-30)), end = Rfc3339(start.AddMinutes(30)), caseNumber = number } });
        Assert.Equal(0, imported.GetProperty("links").GetInt32());

        using var officer = await factory.ClientAsync(w.Officer);
        var recordId = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(2, start))).RecordId!;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            var record = await db.Records.SingleAsync(r => r.Id == recordId);
            // Whether or not the ingest has already made it, the rule never makes the link twice.
            await CaseLinking.LinkNewRecordAsync(db, record, CaseLinking.DefaultBuffer, factory.Clock.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
            Assert.Equal(0, await CaseLinking.LinkNewRecordAsync(db, record, CaseLinking.DefaultBuffer, factory.Clock.GetUtcNow(), CancellationToken.None));
        }
        var link = Assert.Single(await LinksAsync(legal, number));
        Assert.Equal(recordId, link.GetProperty("recordId").GetString());
        Assert.True(link.GetProperty("automatic").GetBoolean());
    }
}
