using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Ledger;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Audit;

/// <summary>One world for the audit searches: officer A uploads record X and plays it, officer B (another unit) uploads
/// and plays record Y; everything is sequenced and signed before the auditor searches.</summary>
public sealed class AuditWorld : IAsyncLifetime
{
    public SqliteFactory Factory { get; } = new();
    public AvLedgerFactory.Person OfficerA { get; private set; } = null!;
    public AvLedgerFactory.Person OfficerB { get; private set; } = null!;
    public AvLedgerFactory.Person Auditor { get; private set; } = null!;
    public string RecordX { get; private set; } = "";
    public string RecordY { get; private set; } = "";
    public const string FileX = "DSJ_20261120093000.mp4";
    public const string FileY = "DSJ_20261121101500.mp4";

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        OfficerA = await Factory.PersonAsync();
        OfficerB = await Factory.PersonAsync();
        Auditor = await Factory.ColleagueAsync(OfficerA, Role.Auditor);
        RecordX = await UploadAndPlayAsync(OfficerA, FileX, DateTimeOffset.Parse("2026-11-20T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        RecordY = await UploadAndPlayAsync(OfficerB, FileY, DateTimeOffset.Parse("2026-11-21T10:15:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await Factory.WorkersIdleAsync();
    }

    async Task<string> UploadAndPlayAsync(AvLedgerFactory.Person officer, string fileName, DateTimeOffset start)
    {
        using var client = await Factory.ClientAsync(officer);
        var id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, start), fileName: fileName)).RecordId!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{id}/content");
        request.Headers.Range = new RangeHeaderValue(0, 1023);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        return id;
    }

    public Task DisposeAsync() => Factory.DisposeAsync();

    /// <summary>The auditor's search through the use case itself, with the auditor's (or another person's) scope.</summary>
    public async Task<Outcome<AuditTrail.SearchPage>> SearchAsync(AuditTrail.SearchFilter filter, string? username = null)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var person = await db.Accounts.AsNoTracking().SingleAsync(a => a.Username == (username ?? Auditor.Username));
        return await scope.ServiceProvider.GetRequiredService<AuditTrail>().SearchAsync(new Scope(person, Factory.Clock.GetUtcNow()), filter, null, 1000, default);
    }

    public async Task<IReadOnlyList<AuditTrail.SearchRow>> RowsAsync(AuditTrail.SearchFilter filter)
    {
        var page = await SearchAsync(filter);
        Assert.Null(page.Refusal);
        return page.Value!.Items;
    }

    public DateOnly Today => RecordingTimes.RecordingDay(Factory.Clock.GetUtcNow());
}

/// <summary>The auditors' search (Art. 20: access is recorded and can be reviewed): by person, record, action and day,
/// each row naming the ledger leaf that holds it.</summary>
public sealed class AuditSearchTests(AuditWorld world) : IClassFixture<AuditWorld>
{
    [Fact]
    public async Task Searching_by_a_persons_chinese_name_finds_their_viewing_of_a_record_and_nobody_elses()
    {
        var rows = await world.RowsAsync(new(Person: world.OfficerA.DisplayName));
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(world.OfficerA.DisplayName, r.ActorName));
        var viewing = Assert.Single(rows, r => r.Action == AuditActions.ContentView);
        Assert.Equal("播放查看", viewing.ActionName);
        Assert.Equal(world.OfficerA.Badge, viewing.ActorBadge);
        Assert.Equal(world.RecordX, viewing.RecordId);
        Assert.Equal(AuditWorld.FileX, viewing.RecordFileName);
        Assert.Equal(world.OfficerA.DeviceCode, viewing.RecordDevice);
        Assert.Contains(rows, r => r.Action == AuditActions.RecordStored && r.RecordId == world.RecordX);
        Assert.DoesNotContain(rows, r => r.RecordId == world.RecordY);
    }

    [Fact]
    public async Task Searching_by_badge_or_username_finds_the_same_person()
    {
        var byName = (await world.RowsAsync(new(Person: world.OfficerB.DisplayName))).Select(r => r.Id).ToList();
        Assert.Equal(byName, (await world.RowsAsync(new(Person: world.OfficerB.Badge))).Select(r => r.Id));
        Assert.Equal(byName, (await world.RowsAsync(new(Person: world.OfficerB.Username))).Select(r => r.Id));
        Assert.Empty(await world.RowsAsync(new(Person: "没有这个人")));
    }

    [Fact]
    public async Task Searching_by_action_lists_only_that_kind_newest_first()
    {
        var rows = await world.RowsAsync(new(Action: AuditActions.ContentView));
        Assert.Equal([world.RecordY, world.RecordX], rows.Where(r => r.RecordId == world.RecordX || r.RecordId == world.RecordY).Select(r => r.RecordId));
        Assert.All(rows, r => Assert.Equal(AuditActions.ContentView, r.Action));
    }

    [Fact]
    public async Task Searching_by_record_file_name_or_id_finds_that_records_events()
    {
        var byFile = await world.RowsAsync(new(Record: "20261121101500"));
        Assert.NotEmpty(byFile);
        Assert.All(byFile, r => Assert.Equal(world.RecordY, r.RecordId));
        Assert.Equal(byFile.Select(r => r.Id), (await world.RowsAsync(new(Record: world.RecordY))).Select(r => r.Id));
    }

    [Fact]
    public async Task A_day_range_in_beijing_time_includes_today_and_excludes_other_days()
    {
        var today = world.Today;
        Assert.Contains(await world.RowsAsync(new(Person: world.OfficerA.Badge, From: today, To: today)), r => r.Action == AuditActions.ContentView);
        Assert.Empty(await world.RowsAsync(new(Person: world.OfficerA.Badge, To: today.AddDays(-1))));
        Assert.Empty(await world.RowsAsync(new(Person: world.OfficerA.Badge, From: today.AddDays(1))));
    }

    [Fact]
    public async Task Each_sequenced_event_names_the_leaf_that_ledgers_it()
    {
        var viewing = Assert.Single(await world.RowsAsync(new(Person: world.OfficerA.Badge, Action: AuditActions.ContentView)));
        var stored = Assert.Single(await world.RowsAsync(new(Person: world.OfficerA.Badge, Action: AuditActions.RecordStored)));
        using var scope = world.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var viewingLeaf = await db.LedgerLeaves.AsNoTracking().SingleAsync(l => l.Index == viewing.LeafIndex);
        using (var json = JsonDocument.Parse(viewingLeaf.Leaf))
            Assert.Equal(viewing.Id, json.RootElement.GetProperty("eventId").GetString());
        var storedLeaf = await db.LedgerLeaves.AsNoTracking().SingleAsync(l => l.Index == stored.LeafIndex);
        Assert.Equal(LeafKinds.RecordStored, storedLeaf.Kind);
        using (var json = JsonDocument.Parse(storedLeaf.Leaf))
            Assert.Equal(world.RecordX, json.RootElement.GetProperty("recordId").GetString());
    }

    [Fact]
    public async Task An_unknown_action_or_reversed_days_are_refused_with_a_reason()
    {
        Assert.Equal("action-unknown", (await world.SearchAsync(new(Action: "record.renamed"))).Refusal?.Reason);
        Assert.Equal("range-reversed", (await world.SearchAsync(new(From: world.Today, To: world.Today.AddDays(-1)))).Refusal?.Reason);
    }

    [Fact]
    public async Task Only_an_auditor_may_search()
    {
        Assert.Equal(Refusal.Forbidden, (await world.SearchAsync(new(), world.OfficerA.Username)).Refusal);
        using var officer = await world.Factory.ClientAsync(world.OfficerA);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/audit/search")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/audit/search.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/ledger/leaves/0/proof")).StatusCode);
    }

    [Fact]
    public async Task The_api_pages_newest_first_and_the_next_page_continues_where_the_first_ended()
    {
        using var auditor = await world.Factory.ClientAsync(world.Auditor);
        var all = await world.RowsAsync(new());
        using var first = JsonDocument.Parse(await auditor.GetStringAsync("/api/v1/audit/search?pageSize=2"));
        var next = first.RootElement.GetProperty("next").GetString();
        using var second = JsonDocument.Parse(await auditor.GetStringAsync($"/api/v1/audit/search?pageSize=2&before={next}"));
        var ids = first.RootElement.GetProperty("items").EnumerateArray().Concat(second.RootElement.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(all.Take(4).Select(r => r.Id), ids);
        using var refused = await auditor.GetAsync("/api/v1/audit/search?action=record.renamed");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("audit-filter-invalid", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_csv_export_opens_in_excel_with_chinese_headers_and_is_itself_audited()
    {
        using var auditor = await world.Factory.ClientAsync(world.Auditor);
        using var response = await auditor.GetAsync($"/api/v1/audit/search.csv?person={Uri.EscapeDataString(world.OfficerA.DisplayName)}&action=record.view");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("时间,人员,执法证号,事项,录像", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines[1..]);
        Assert.Contains($",{world.OfficerA.DisplayName},{world.OfficerA.Badge},播放查看,{AuditWorld.FileX},", row, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2},", row);

        var exported = await world.RowsAsync(new(Person: world.Auditor.Username, Action: AuditActions.TrailExported));
        var export = Assert.Single(exported);
        Assert.Equal("导出审计记录", export.ActionName);
        Assert.Equal("action=record.view;person", export.Detail);
        Assert.Contains((await world.Factory.LedgerLeavesAsync()), l => l.Contains("\"kind\":\"audit.exported\"", StringComparison.Ordinal) && l.Contains(export.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Any_leaf_is_proved_included_under_the_latest_signed_checkpoint()
    {
        var viewing = Assert.Single(await world.RowsAsync(new(Person: world.OfficerB.Badge, Action: AuditActions.ContentView)));
        using var auditor = await world.Factory.ClientAsync(world.Auditor);
        using var doc = JsonDocument.Parse(await auditor.GetStringAsync($"/api/v1/ledger/leaves/{viewing.LeafIndex}/proof"));
        var p = doc.RootElement;
        var proof = new LedgerReads.LeafProof(p.GetProperty("leafIndex").GetInt64(), p.GetProperty("kind").GetString()!, p.GetProperty("auditEventId").GetString(),
            p.GetProperty("leaf").GetString()!, p.GetProperty("leafHash").GetString()!, p.GetProperty("treeSize").GetInt64(),
            [.. p.GetProperty("hashes").EnumerateArray().Select(h => h.GetString()!)], p.GetProperty("checkpoint").GetString()!);
        Assert.Equal(AuditActions.ContentView, proof.Kind);
        Assert.Equal(viewing.Id, proof.AuditEventId);
        var key = (await auditor.GetStringAsync("/api/v1/ledger/key")).Trim();
        Assert.True(LeafVerification.Of(proof, key).Verified);
        // The same proof for a leaf whose bytes were changed does not verify.
        var forged = proof with { Leaf = Convert.ToBase64String([.. Convert.FromBase64String(proof.Leaf), (byte)' ']) };
        Assert.False(LeafVerification.Of(forged, key).Verified);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"/api/v1/ledger/leaves/{proof.TreeSize + 1000}/proof")).StatusCode);
    }
}
