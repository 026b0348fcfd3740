using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Workbench;

[Collection(BrowserCollection.Name)]
public sealed class WorkbenchPagesTests(BrowserFactory factory)
{
    [Fact]
    public async Task An_officer_lands_on_what_waits_and_the_menu_counts_it_down_as_it_is_done()
    {
        var officer = await factory.PersonAsync();
        var start = factory.Clock.GetUtcNow().AddHours(-3);
        using (var client = await factory.ClientAsync(officer))
        {
            await Tus.UploadAsync(client, await Tus.NewSampleAsync(2, start));
            await Tus.UploadAsync(client, await Tus.NewSampleAsync(2, start.AddMinutes(5)));
        }
        var page = await factory.SignedInAsync(officer);
        await page.GotoAsync("/");
        await BrowserFactory.ArrivedAsync(page, "**/workbench");
        Assert.Equal("工作台", await page.TextContentAsync("h1"));
        Assert.Contains(officer.DisplayName, await page.TextContentAsync("[data-testid=greeting]") ?? "", StringComparison.Ordinal);
        // One session to complete (待补充) and the gap between the two recordings to explain.
        Assert.Equal("2", (await page.Locator("[data-testid=waiting] li[data-page='/inbox'] .badge").TextContentAsync())?.Trim());
        Assert.Equal("2", (await page.Locator("nav a[href='/inbox'] [data-testid=waiting-count] [aria-hidden]").TextContentAsync())?.Trim());
        Assert.Equal(2, await page.Locator("[data-testid=recent] tbody tr").CountAsync());
        Assert.Contains("待补充", await page.TextContentAsync("[data-testid=recent]") ?? "", StringComparison.Ordinal);
        await BrowserFactory.ScreenshotAsync(page, "workbench-officer");

        await page.ClickAsync("[data-testid=waiting] li[data-page='/inbox'] a");
        await BrowserFactory.ArrivedAsync(page, "**/inbox");
        var owed = page.Locator("[data-session-to-complete]");
        await owed.Locator("select").SelectOptionAsync("onSitePenalty");
        await owed.Locator("button").ClickAsync();
        Assert.Contains("已保存", await page.TextContentAsync("[data-testid=inbox-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal("1", (await page.Locator("nav a[href='/inbox'] [data-testid=waiting-count] [aria-hidden]").TextContentAsync())?.Trim());
    }

    [Fact]
    public async Task A_head_with_nothing_waiting_sees_no_counts_and_says_so()
    {
        var (page, _) = await factory.SignedInAsync(Role.DepartmentHead);
        await page.GotoAsync("/workbench");
        Assert.Equal(1, await page.Locator("[data-testid=nothing-waiting]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=waiting-count]").CountAsync());
    }

    [Fact]
    public async Task A_custodian_assigns_an_upload_that_named_no_known_officer_from_the_landing_page()
    {
        var custodian = await factory.PersonAsync(Role.DeviceCustodian);
        var officer = await factory.ColleagueAsync(custodian, Role.Officer);
        string id;
        using (var station = await factory.ClientAsync(custodian))
            id = (await Tus.UploadAsync(station, await Tus.NewSampleAsync(1), 256 * 1024, "DSJ_20261120093000.mp4", ("deviceCode", custodian.DeviceCode), ("officerBadge", "888888"))).RecordId!;

        var page = await factory.SignedInAsync(custodian);
        await page.GotoAsync("/workbench");
        Assert.Equal("1", (await page.Locator("nav a[href='/workbench'] [data-testid=waiting-count] [aria-hidden]").TextContentAsync())?.Trim());
        Assert.Contains(custodian.DeviceCode, await page.TextContentAsync("[data-testid=devices]") ?? "", StringComparison.Ordinal);
        var row = page.Locator($"[data-testid=unassigned] tr[data-record-id='{id}']");
        Assert.Contains("DSJ_20261120093000.mp4", await row.TextContentAsync() ?? "", StringComparison.Ordinal);
        // People pick a name, not a number they must know.
        Assert.Contains($"{officer.DisplayName}（{officer.Badge}）", await row.Locator("select").TextContentAsync() ?? "", StringComparison.Ordinal);
        await BrowserFactory.ScreenshotAsync(page, "workbench-custodian");
        await row.Locator("select").SelectOptionAsync(officer.Badge);
        await row.Locator("button").ClickAsync();
        Assert.Equal("已分配。", await page.TextContentAsync("[data-testid=workbench-message]"));
        Assert.Equal(0, await page.Locator($"[data-testid=unassigned] tr[data-record-id='{id}']").CountAsync());
        Assert.Equal(0, await page.Locator("nav a[href='/workbench'] [data-testid=waiting-count]").CountAsync());

        var officerPage = await factory.SignedInAsync(officer);
        await officerPage.GotoAsync("/workbench");
        Assert.Equal(1, await officerPage.Locator($"[data-testid=recent] tr[data-record-id='{id}']").CountAsync());
    }
}
