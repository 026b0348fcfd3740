using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Sessions;

[Collection(BrowserCollection.Name)]
public sealed class SessionPagesTests(BrowserFactory factory)
{
    async Task<string> UploadAsync(AvLedgerFactory.Person officer, int seconds, DateTimeOffset start, params (string, string)[] extra)
    {
        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        return (await Tus.UploadAsync(client, await Tus.NewSampleAsync(seconds, start), extra: extra)).RecordId!;
    }

    async Task<string> SessionOfAsync(AvLedgerFactory.Person officer, string recordId)
    {
        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/records/{recordId}"));
        return doc.RootElement.GetProperty("sessionId").GetString()!;
    }

    [Fact]
    public async Task The_officer_completes_the_activity_type_and_explains_a_gap_from_the_inbox_and_the_timeline()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var start = factory.Clock.GetUtcNow().AddHours(-2);
        var first = await UploadAsync(officer, 2, start);
        await UploadAsync(officer, 3, start.AddMinutes(5));
        var session = await SessionOfAsync(officer, first);

        var page = await factory.SignedInAsync(officer);
        await page.GotoAsync("/inbox");
        Assert.Equal(1, await page.Locator($"[data-session-to-complete='{session}']").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=owed-gaps] li").CountAsync());
        await BrowserFactory.ScreenshotAsync(page, "inbox");
        // The officer must choose: nothing is preselected (it once read 当场处罚 before anyone chose).
        Assert.Equal("", await page.Locator($"[data-session-to-complete='{session}'] select").InputValueAsync());
        await page.Locator($"[data-session-to-complete='{session}'] select").SelectOptionAsync("onSitePenalty");
        await page.Locator($"[data-session-to-complete='{session}'] button").ClickAsync();
        Assert.Contains("已保存", await page.TextContentAsync("[data-testid=inbox-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"[data-session-to-complete='{session}']").CountAsync());

        await page.ClickAsync("[data-testid=owed-gaps] a");
        await BrowserFactory.ArrivedAsync(page, $"**/sessions/{session}*");
        Assert.Contains("当场处罚", await page.TextContentAsync("[data-testid=session-type]") ?? "", StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator(".timeline .segment").CountAsync());
        Assert.Equal(1, await page.Locator(".timeline .gap.unexplained").CountAsync());
        await BrowserFactory.ScreenshotAsync(page, "session-timeline");
        var form = page.Locator("[data-testid=report-form]");
        await form.Locator("select[name=reason]").SelectOptionAsync("storageFull");
        await form.Locator("select[name=explanationRecordId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await form.Locator("input[name=explanationOffset]").FillAsync("1");
        await form.Locator("select[name=reportedTo]").SelectOptionAsync(head.Username);
        await form.Locator("textarea[name=documentNote]").FillAsync("存储卡已满，更换后继续录制，已在现场笔录中注明");
        await form.Locator("button").ClickAsync();
        Assert.Contains("中断说明已提交", await page.TextContentAsync("[data-testid=session-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator(".timeline .gap.explained").CountAsync());
        Assert.Contains("存储空间不足", await page.TextContentAsync("section[data-report]") ?? "", StringComparison.Ordinal);
        Assert.Contains("完整", await page.TextContentAsync("[data-testid=session-state]") ?? "", StringComparison.Ordinal);

        await page.GotoAsync("/inbox");
        Assert.Equal(1, await page.Locator("[data-testid=inbox-empty]").CountAsync());
    }

    /// <summary>A one-second recording ending a five-minute session once made the timeline's layout throw
    /// (its least width exceeded the room left), so the page answered 500 for everyone.</summary>
    [Fact]
    public async Task A_head_finds_sessions_by_an_officers_name_and_completes_several_activity_types_at_once()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var start = factory.Clock.GetUtcNow().AddDays(-1);
        var first = await SessionOfAsync(officer, await UploadAsync(officer, 1, start));
        var second = await SessionOfAsync(officer, await UploadAsync(officer, 1, start.AddHours(3)));

        var page = await factory.SignedInAsync(head);
        await page.GotoAsync("/sessions");
        await page.FillAsync("input[name=officer]", officer.DisplayName);
        await page.ClickAsync("form[role=search] button");
        await BrowserFactory.ArrivedAsync(page, "**/sessions?officer=*");
        Assert.Equal(2, await page.Locator("[data-testid=sessions] tbody tr").CountAsync());
        Assert.Contains($"{officer.DisplayName}（{officer.Badge}）", await page.TextContentAsync($"tr[data-session='{first}'] [data-testid=session-officers]") ?? "", StringComparison.Ordinal);

        await page.CheckAsync($"tr[data-session='{first}'] input[name=selected]");
        await page.CheckAsync($"tr[data-session='{second}'] input[name=selected]");
        await page.Locator("[data-testid=batch-type] select").SelectOptionAsync("onSitePenalty");
        await page.ClickAsync("[data-testid=batch-type] button");
        Assert.Equal("已为 2 个执法过程补充执法活动类型。", await page.TextContentAsync("[data-testid=sessions-message]"));
        Assert.Equal(0, await page.Locator("input[name=selected]").CountAsync());
        Assert.Equal(2, await page.Locator("[data-testid=sessions] tbody tr", new() { HasTextString = "当场处罚" }).CountAsync());

        // A new session names fellow officers by picking their names.
        var colleague = await factory.ColleagueAsync(officer, Role.Officer);
        await page.GotoAsync("/sessions");
        var form = page.Locator("[data-testid=new-session]");
        await form.Locator("select[name=activityType]").SelectOptionAsync("onSitePenalty");
        await form.Locator("select[name=officers]").SelectOptionAsync(new[] { new SelectOptionValue { Label = $"{officer.DisplayName}（{officer.Badge}）" }, new SelectOptionValue { Label = $"{colleague.DisplayName}（{colleague.Badge}）" } });
        await form.Locator("button").ClickAsync();
        Assert.Contains("已", await page.TextContentAsync("[data-testid=sessions-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("[data-testid=sessions] tbody tr", new() { HasTextString = $"{colleague.DisplayName}（{colleague.Badge}）" }).CountAsync());

        // Someone else's name finds none of them.
        await page.GotoAsync($"/sessions?officer={Uri.EscapeDataString(head.DisplayName)}");
        Assert.Equal(0, await page.Locator($"tr[data-session='{first}']").CountAsync());
    }

    [Fact]
    public async Task A_short_recording_at_the_very_end_of_a_long_session_is_drawn_on_the_timeline()
    {
        var officer = await factory.PersonAsync();
        var start = factory.Clock.GetUtcNow().AddHours(-2);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
        var dir = Directory.CreateTempSubdirectory("avledger-long-").FullName;
        var longClip = await Media.SampleClips.WriteAsync(dir, officer.DeviceCode, officer.Badge, start, 300, default, size: "160x90");
        string first;
        using (var client = factory.ClientWith(await factory.MintAsync(officer.Username)))
            first = (await Tus.UploadAsync(client, await File.ReadAllBytesAsync(longClip.Path), 1024 * 1024)).RecordId!;
        Directory.Delete(dir, recursive: true);
        await UploadAsync(officer, 1, start.AddSeconds(299));
        var session = await SessionOfAsync(officer, first);

        var page = await factory.SignedInAsync(officer);
        var response = await page.GotoAsync($"/sessions/{session}");
        Assert.Equal(200, response!.Status);
        Assert.Equal(2, await page.Locator(".timeline .segment").CountAsync());
    }

    /// <summary>An officer of a unit without a head once faced an empty, required head list and could never send
    /// the explanation, with nothing saying why.</summary>
    [Fact]
    public async Task A_unit_without_a_head_reports_to_the_head_above_and_a_unit_with_none_above_is_told_why()
    {
        var head = await factory.PersonAsync(Role.DepartmentHead);
        var officer = await factory.PersonAsync(Role.Officer, parentUnit: head.UnitCode);
        var alone = await factory.PersonAsync();
        foreach (var person in new[] { officer, alone })
        {
            var start = factory.Clock.GetUtcNow().AddHours(-2);
            var first = await UploadAsync(person, 2, start);
            await UploadAsync(person, 2, start.AddMinutes(5));
            var page = await factory.SignedInAsync(person);
            await page.GotoAsync($"/sessions/{await SessionOfAsync(person, first)}");
            if (person == officer)
            {
                var options = await page.Locator("[data-testid=report-form] select[name=reportedTo] option").AllTextContentsAsync();
                Assert.Equal([$"{head.DisplayName}（第{head.UnitCode[1..]}中队）"], options);
                Assert.Equal(1, await page.Locator("[data-testid=head-above]").CountAsync());
            }
            else
            {
                Assert.Equal(0, await page.Locator("[data-testid=report-form]").CountAsync());
                Assert.Contains("未设部门负责人", await page.TextContentAsync("[data-testid=no-head]") ?? "", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Overlapping_segments_from_two_devices_play_side_by_side()
    {
        var a = await factory.PersonAsync();
        var b = await factory.ColleagueAsync(a, Role.Officer);
        var start = factory.Clock.GetUtcNow().AddHours(-3);
        var first = await UploadAsync(a, 3, start, ("deviceCode", a.DeviceCode));
        var relay = await UploadAsync(b, 3, start.AddSeconds(1), ("deviceCode", a.DeviceCode));
        await UploadAsync(a, 2, start.AddSeconds(20), ("deviceCode", a.DeviceCode));
        var session = await SessionOfAsync(a, first);

        // Taking part grants nothing beyond one's own: A sees B's segment as a span, neither played nor linked.
        var own = await factory.SignedInAsync(a);
        await own.GotoAsync($"/sessions/{session}");
        Assert.Equal(1, await own.Locator(".timeline .segment.hidden").CountAsync());
        Assert.Equal(0, await own.Locator($"[href*='{relay}'], video[data-record='{relay}']").CountAsync());
        Assert.Equal(2, await own.Locator("video[data-record]").CountAsync());

        // Their head, whose scope holds both, plays them side by side.
        var page = await factory.SignedInAsync(await factory.ColleagueAsync(a, Role.DepartmentHead));
        await page.GotoAsync($"/sessions/{session}");
        Assert.Equal(2, await page.Locator(".cluster").CountAsync());
        Assert.Equal("2", await page.Locator(".cluster").First.GetAttributeAsync("data-count"));
        Assert.Equal(["0", "1"], (await page.Locator(".timeline .segment[data-lane]").EvaluateAllAsync<string[]>("els => [...new Set(els.map(e => e.dataset.lane))].sort()")));
        await page.ClickAsync("[data-testid=play-session]");
        // Both videos of the first cluster run at once.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.cluster')[0].querySelectorAll('video')].every(v => v.currentTime > 0.3)", null, new() { Timeout = 15000 });
        // Then the second cluster plays after them.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.cluster')[1].querySelector('video').currentTime > 0.3", null, new() { Timeout = 20000 });
        await BrowserFactory.ScreenshotAsync(page, "session-side-by-side");
    }

    /// <summary>Viewing is not copying, on the timeline: a segment the viewer may only view (a view
    /// grant) is a link to its record page, where the watermarked stream plays; it never goes into the
    /// session's players, whose sources are originals.</summary>
    [Fact]
    public async Task A_view_only_segment_is_a_link_to_its_watermarked_stream_and_never_in_the_players()
    {
        var a = await factory.PersonAsync();
        var b = await factory.ColleagueAsync(a, Role.Officer);
        var head = await factory.ColleagueAsync(a, Role.DepartmentHead);
        var start = factory.Clock.GetUtcNow().AddHours(-3);
        var first = await UploadAsync(a, 3, start, ("deviceCode", a.DeviceCode));
        var relay = await UploadAsync(b, 3, start.AddSeconds(1), ("deviceCode", a.DeviceCode));
        var session = await SessionOfAsync(a, first);

        string requestId;
        using (var client = factory.ClientWith(await factory.TokenAsync(a.Username, a.Password)))
        {
            using var asked = await client.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "核对同一现场的另一视角", days = 1, recordIds = new[] { relay } });
            asked.EnsureSuccessStatusCode();
            requestId = JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }
        using (var client = factory.ClientWith(await factory.TokenAsync(head.Username, head.Password)))
            (await client.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意查看", password = head.Password })).EnsureSuccessStatusCode();

        var page = await factory.SignedInAsync(a);
        var requested = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, r) => requested.Enqueue(new Uri(r.Url).AbsolutePath);
        await page.GotoAsync($"/sessions/{session}");
        Assert.True(await page.IsVisibleAsync("[data-testid=view-only-segments]"));
        var segment = page.Locator($".timeline a.segment[data-view-only=true][href='/records/{relay}']");
        Assert.Equal(1, await segment.CountAsync());
        Assert.Equal(1, await page.Locator("video[data-record]").CountAsync());
        Assert.Equal(0, await page.Locator($"video[data-record='{relay}']").CountAsync());
        Assert.DoesNotContain(requested, p => p.StartsWith($"/api/v1/records/{relay}/", StringComparison.Ordinal) && !p.EndsWith("/thumbnail", StringComparison.Ordinal));

        await segment.ClickAsync();
        await BrowserFactory.ArrivedAsync(page, $"**/records/{relay}");
        Assert.Equal($"/api/v1/records/{relay}/watch/index.m3u8", await page.GetAttributeAsync("#player", "data-watch"));
        Assert.Equal(0, await page.Locator("[data-testid=download]").CountAsync());
    }

    [Fact]
    public async Task Markers_are_added_on_the_record_page_and_shown_on_the_players_timeline()
    {
        var officer = await factory.PersonAsync();
        var id = await UploadAsync(officer, 4, factory.Clock.GetUtcNow().AddMinutes(-30));
        var page = await factory.SignedInAsync(officer);
        await page.GotoAsync($"/records/{id}");
        await page.FillAsync("input[name=markerAt]", "2.5");
        await page.SelectOptionAsync("select[name=markerCategory]", "violationEvidence");
        await page.FillAsync("input[name=markerNote]", "超限车辆称重单");
        await page.ClickAsync("[data-testid=marker-form] button");
        Assert.Contains("标记已添加", await page.TextContentAsync("[data-testid=marker-message]") ?? "", StringComparison.Ordinal);
        Assert.Contains("涉案财物及违法证据", await page.TextContentAsync("[data-testid=markers]") ?? "", StringComparison.Ordinal);
        var tick = page.Locator("[data-testid=markers-bar] button");
        Assert.Equal(1, await tick.CountAsync());
        await page.Locator("#player").EvaluateAsync("v => new Promise(r => v.readyState > 0 ? r() : v.addEventListener('loadedmetadata', r, { once: true }))");
        await tick.ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime >= 2.4");

        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var markers = await client.GetFromJsonAsync<JsonElement>($"/api/v1/records/{id}/markers");
        Assert.Equal(2.5, markers[0].GetProperty("offsetSeconds").GetDouble());
    }

    [Fact]
    public async Task A_no_recording_report_is_filed_by_the_officer_and_acknowledged_by_the_head()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var page = await factory.SignedInAsync(officer);
        await page.GotoAsync("/no-recording");
        var form = page.Locator("[data-testid=no-recording-form]");
        await form.Locator("select[name=activityType]").SelectOptionAsync("emergency");
        await form.Locator("input[name=from]").FillAsync(AvLedger.Core.Records.RecordingTimes.ToChina(factory.Clock.GetUtcNow().AddHours(-3)).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await form.Locator("input[name=place]").FillAsync("朝天门码头");
        await form.Locator("select[name=reason]").SelectOptionAsync("urgent");
        await form.Locator("textarea[name=note]").FillAsync("突发落水救援，来不及开启记录仪");
        await form.Locator("button").ClickAsync();
        Assert.Contains("报告已提交", await page.TextContentAsync("[data-testid=no-recording-message]") ?? "", StringComparison.Ordinal);

        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/no-recording");
        var row = headPage.Locator("tr[data-acknowledged=false]", new() { HasText = "朝天门码头" });
        await row.Locator("button").ClickAsync();
        Assert.Contains("已确认", await headPage.TextContentAsync("[data-testid=no-recording-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(1, await headPage.Locator("tr[data-acknowledged=true]", new() { HasText = "朝天门码头" }).CountAsync());
    }

    [Fact]
    public async Task The_head_acknowledges_a_late_save_reason_on_the_compliance_page()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var id = await UploadAsync(officer, 1, factory.Clock.GetUtcNow().AddDays(-3));
        var page = await factory.SignedInAsync(officer);
        await page.GotoAsync("/inbox");
        var item = page.Locator($"[data-late-save='{id}']");
        await item.Locator("textarea").FillAsync("外勤三天无网络，返回后补传");
        await item.Locator("button").ClickAsync();
        Assert.Contains("原因已提交", await page.TextContentAsync("[data-testid=inbox-message]") ?? "", StringComparison.Ordinal);

        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/compliance/late-saves");
        var row = headPage.Locator($"tr[data-record='{id}']");
        Assert.Equal("awaiting-acknowledgement", await row.GetAttributeAsync("data-state"));
        Assert.Contains("外勤三天无网络", await row.TextContentAsync() ?? "", StringComparison.Ordinal);
        await row.Locator("[data-testid=late-ack]").ClickAsync();
        Assert.Equal("acknowledged", await headPage.Locator($"tr[data-record='{id}']").GetAttributeAsync("data-state"));
    }

    [Fact]
    public async Task The_head_acknowledges_several_late_save_reasons_at_once_and_the_workbench_counts_them()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var ids = new[] { await UploadAsync(officer, 1, factory.Clock.GetUtcNow().AddDays(-3)), await UploadAsync(officer, 1, factory.Clock.GetUtcNow().AddDays(-4)) };
        var page = await factory.SignedInAsync(officer);
        foreach (var id in ids)
        {
            await page.GotoAsync("/inbox");
            var item = page.Locator($"[data-late-save='{id}']");
            await item.Locator("textarea").FillAsync("外勤无网络，返回后补传");
            await item.Locator("button").ClickAsync();
        }

        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/workbench");
        Assert.Equal("2", (await headPage.Locator("[data-testid=waiting] li[data-page='/compliance/late-saves'] .badge").TextContentAsync())?.Trim());
        await headPage.GotoAsync("/compliance/late-saves");
        foreach (var id in ids) await headPage.CheckAsync($"tr[data-record='{id}'] input[name=records]");
        await headPage.ClickAsync("[data-testid=late-batch] button");
        Assert.Equal("已确认 2 条迟延保存原因，并记入账本。", await headPage.TextContentAsync("[data-testid=late-message]"));
        foreach (var id in ids) Assert.Equal("acknowledged", await headPage.Locator($"tr[data-record='{id}']").GetAttributeAsync("data-state"));
        Assert.Equal(0, await headPage.Locator("nav a[href='/compliance/late-saves'] [data-testid=waiting-count]").CountAsync());
    }
}
