using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Records;

[Collection(BrowserCollection.Name)]
public sealed class RecordPagesTests(BrowserFactory factory)
{
    async Task<string> StoredAsync(BrowserFactory.Person person, bool hevc = false, int seconds = 3, DateTimeOffset? recordedAt = null)
    {
        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        // Recorded just before "now" on the shared test clock, which other browser tests move forward, unless
        // the test sets the time in the media itself (the only time that counts).
        var file = await Tus.NewSampleAsync(seconds, recordedAt ?? factory.Clock.GetUtcNow().AddMinutes(-10), hevc);
        (string, string)[] metadata = [("deviceCode", person.DeviceCode), ("officerBadge", person.Badge)];
        var status = await Tus.UploadAsync(client, file, 256 * 1024, $"{person.DeviceCode}_{person.Badge}_20261120093000.mp4", metadata);
        Assert.Equal("stored", status.State);
        return status.RecordId!;
    }

    static async Task<double> PlayAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => document.querySelector('#player').readyState >= 1");
        await page.EvalOnSelectorAsync("#player", "v => { v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync("() => document.querySelector('#player').currentTime > 0.5", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        return await page.EvalOnSelectorAsync<double>("#player", "v => v.currentTime");
    }

    [Fact]
    public async Task A_record_plays_from_the_original_and_the_viewing_enters_its_audit_trail()
    {
        var (page, person) = await factory.SignedInAsync();
        var id = await StoredAsync(person);
        await page.GotoAsync($"/records/{id}");
        Assert.Equal($"/api/v1/records/{id}/content", await page.GetAttributeAsync("#player", "src"));
        Assert.True(await PlayAsync(page) > 0.5);
        // Seeking sends a Range request into the middle of the file.
        await page.EvalOnSelectorAsync("#player", "v => { v.currentTime = 2; }");
        await page.WaitForFunctionAsync("() => document.querySelector('#player').currentTime >= 2");
        await BrowserFactory.ScreenshotAsync(page, "record");

        await page.ReloadAsync();
        Assert.Equal(1, await page.Locator("[data-testid=audit-trail] tr[data-action='record.view']").CountAsync());
        Assert.Contains(person.DisplayName, await page.TextContentAsync("[data-testid=audit-trail] tr[data-action='record.view']") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_record_page_shows_save_timeliness_sha256_and_a_verified_ledger_proof()
    {
        var (page, person) = await factory.SignedInAsync();
        var id = await StoredAsync(person);
        await factory.WorkersIdleAsync();
        await page.GotoAsync($"/records/{id}");
        Assert.Equal(1, await page.Locator("[data-testid=proof-verified]").CountAsync());
        Assert.Contains("24小时内保存", await page.TextContentAsync("[data-testid=timeliness]") ?? "", StringComparison.Ordinal);
        using var scope = factory.Services.CreateScope();
        var sha = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.Where(r => r.Id == id).Select(r => r.Sha256).SingleAsync();
        Assert.Equal(sha, await page.TextContentAsync("[data-testid=sha256]"));
    }

    [Fact]
    public async Task The_viewer_watermark_carries_the_viewers_name_and_a_running_clock()
    {
        var (page, person) = await factory.SignedInAsync();
        var id = await StoredAsync(person);
        await page.GotoAsync($"/records/{id}");
        var first = await page.TextContentAsync("[data-watermark] >> nth=0") ?? "";
        Assert.StartsWith($"{person.DisplayName} {person.Badge} ", first, StringComparison.Ordinal);
        await page.WaitForFunctionAsync("t => document.querySelector('[data-watermark]').textContent !== t", first);
        var overlay = await page.EvalOnSelectorAsync<string>("[data-testid=watermark]", "e => getComputedStyle(e).pointerEvents");
        Assert.Equal("none", overlay);
    }

    [Fact]
    public async Task An_h265_recording_plays_through_a_labelled_web_rendition_and_the_original_is_unchanged()
    {
        var (page, person) = await factory.SignedInAsync();
        var id = await StoredAsync(person, hevc: true);
        await page.GotoAsync($"/records/{id}");
        // The rendition is made in the background; the page refreshes itself until it is ready.
        await page.WaitForSelectorAsync("#player", new PageWaitForSelectorOptions { Timeout = 120_000 });
        Assert.Equal($"/api/v1/records/{id}/rendition", await page.GetAttributeAsync("#player", "src"));
        Assert.Contains("派生件", await page.TextContentAsync("[data-testid=derivative-label]") ?? "", StringComparison.Ordinal);
        Assert.True(await PlayAsync(page) > 0.5);
        await BrowserFactory.ScreenshotAsync(page, "record-h265-rendition");

        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        var original = await client.GetByteArrayAsync($"/api/v1/records/{id}/download");
        using var scope = factory.Services.CreateScope();
        var sha = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.Where(r => r.Id == id).Select(r => r.Sha256).SingleAsync();
        Assert.Equal(sha, Tus.Sha256(original));
    }

    [Fact]
    public async Task An_officer_sees_only_their_own_actions_and_a_department_head_sees_all()
    {
        var (officerPage, officer) = await factory.SignedInAsync();
        var id = await StoredAsync(officer);
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync($"/records/{id}");
        await PlayAsync(headPage);

        await officerPage.GotoAsync($"/records/{id}");
        var officerTrail = await officerPage.TextContentAsync("[data-testid=audit-trail] tbody") ?? "";
        Assert.DoesNotContain(head.DisplayName, officerTrail, StringComparison.Ordinal);

        await headPage.ReloadAsync();
        var headTrail = await headPage.TextContentAsync("[data-testid=audit-trail] tbody") ?? "";
        Assert.Contains(head.DisplayName, headTrail, StringComparison.Ordinal);
        Assert.Contains(officer.DisplayName, headTrail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_auditor_sees_the_record_page_without_player_or_download()
    {
        var (_, officer) = await factory.SignedInAsync();
        var id = await StoredAsync(officer);
        var auditor = await factory.ColleagueAsync(officer, Role.Auditor);
        var page = await factory.SignedInAsync(auditor);
        await page.GotoAsync($"/records/{id}");
        Assert.Equal(1, await page.Locator("[data-testid=no-content-access]").CountAsync());
        Assert.Equal(0, await page.Locator("#player").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=download]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=watermark]").CountAsync());
    }

    [Fact]
    public async Task Downloading_the_original_from_the_page_is_audited_as_a_copy()
    {
        var (page, person) = await factory.SignedInAsync();
        var id = await StoredAsync(person);
        await page.GotoAsync($"/records/{id}");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download]"));
        var path = await download.PathAsync();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var sha = await db.Records.Where(r => r.Id == id).Select(r => r.Sha256).SingleAsync();
        Assert.Equal(sha, Tus.Sha256(await File.ReadAllBytesAsync(path)));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.RecordId == id && e.Action == AuditActions.ContentDownload));
    }

    [Fact]
    public async Task The_list_filters_by_officer_and_the_url_carries_the_filter()
    {
        var (page, person) = await factory.SignedInAsync();
        var mine = await StoredAsync(person);
        var other = await factory.PersonAsync();
        var theirs = await StoredAsync(other);

        await page.GotoAsync("/records");
        await page.FillAsync("input[name=officer]", person.Badge);
        await page.ClickAsync("form[role=search] button[type=submit]");
        await BrowserFactory.ArrivedAsync(page, $"**/records?*officer={person.Badge}*");
        Assert.Equal(1, await page.Locator($"tr[data-record-id='{mine}']").CountAsync());
        Assert.Equal(0, await page.Locator($"tr[data-record-id='{theirs}']").CountAsync());

        // The same URL opened afresh shows the same view: it can be shared and bookmarked.
        var shared = await factory.NewPageAsync();
        await BrowserFactory.SignInAsync(shared, person.Username, person.Password);
        await shared.GotoAsync(page.Url);
        Assert.Equal(await page.Locator("tr[data-record-id]").CountAsync(), await shared.Locator("tr[data-record-id]").CountAsync());
        Assert.Equal(person.Badge, await shared.InputValueAsync("input[name=officer]"));
    }

    [Fact]
    public async Task Sorting_by_size_orders_the_rows_and_the_arrow_links_toggle_the_direction()
    {
        var (page, person) = await factory.SignedInAsync();
        await StoredAsync(person, seconds: 2);
        await StoredAsync(person, seconds: 4);
        await page.GotoAsync($"/records?officer={person.Badge}");
        await page.ClickAsync("th a:has-text('大小')");
        await BrowserFactory.ArrivedAsync(page, "**sort=size*");
        var descending = await page.Locator("tr[data-record-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.recordId)");
        await page.ClickAsync("th a:has-text('大小')");
        await BrowserFactory.ArrivedAsync(page, "**dir=asc*");
        var ascending = await page.Locator("tr[data-record-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.recordId)");
        Assert.Equal(2, descending.Length);
        Assert.Equal(descending.Reverse(), ascending);
        await BrowserFactory.ScreenshotAsync(page, "records");
    }

    [Fact]
    public async Task The_time_range_filter_in_china_time_keeps_only_recordings_in_the_window()
    {
        var (page, person) = await factory.SignedInAsync();
        var inside = await StoredAsync(person, recordedAt: new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.FromHours(8)));
        var outside = await StoredAsync(person, recordedAt: new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.FromHours(8)));
        await page.GotoAsync($"/records?officer={person.Badge}");
        await page.FillAsync("input[name=from]", "2026-11-20T09:00");
        await page.FillAsync("input[name=to]", "2026-11-20T10:00");
        await page.ClickAsync("form[role=search] button[type=submit]");
        await BrowserFactory.ArrivedAsync(page, "**from=2026-11-20T09%3A00*");
        Assert.Equal(1, await page.Locator($"tr[data-record-id='{inside}']").CountAsync());
        Assert.Equal(0, await page.Locator($"tr[data-record-id='{outside}']").CountAsync());
    }

    [Fact]
    public async Task Thumbnails_in_the_list_load()
    {
        var (page, person) = await factory.SignedInAsync();
        var id = await StoredAsync(person);
        await page.GotoAsync($"/records?officer={person.Badge}");
        await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector(\"tr[data-record-id='{id}'] img\"); return i && i.complete && i.naturalWidth > 0; }}");
    }

    [Fact]
    public async Task The_record_page_fits_a_tablet_screen()
    {
        var (page, person) = await factory.SignedInAsync(width: 768, height: 1024);
        var id = await StoredAsync(person);
        await page.GotoAsync($"/records/{id}");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the record page is {overflow}px wider than the tablet screen");
    }

    [Fact]
    public async Task An_unknown_record_shows_the_not_found_page()
    {
        var (page, _) = await factory.SignedInAsync();
        var response = await page.GotoAsync("/records/01ARZ3NDEKTSV4RRFFQ69G5FAV");
        Assert.Equal(404, response!.Status);
        Assert.Equal(1, await page.Locator("[data-testid=error-page]").CountAsync());
    }

    [Fact]
    public async Task A_malformed_time_filter_says_what_is_wrong()
    {
        var (page, _) = await factory.SignedInAsync();
        var response = await page.GotoAsync("/records?from=yesterday");
        Assert.Equal(400, response!.Status);
        Assert.Contains("yesterday", await page.TextContentAsync("p.error") ?? "", StringComparison.Ordinal);
    }
}
