using System.Net;
using System.Net.Http.Headers;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Audit;

[Collection(BrowserCollection.Name)]
public sealed class AuditPagesTests(BrowserFactory factory)
{
    [Fact]
    public async Task An_auditor_finds_a_persons_viewing_by_their_chinese_name_and_sees_its_leaf_proved_included()
    {
        var officer = await factory.PersonAsync();
        var auditor = await factory.ColleagueAsync(officer, Role.Auditor);
        const string fileName = "DSJ_20261125143000.mp4";
        using (var client = await factory.ClientAsync(officer))
        {
            var recordId = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, DateTimeOffset.Parse("2026-11-25T14:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture)), fileName: fileName)).RecordId!;
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{recordId}/content");
            request.Headers.Range = new RangeHeaderValue(0, 1023);
            using var played = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, played.StatusCode);
        }
        await factory.WorkersIdleAsync();

        var page = await factory.SignedInAsync(auditor);
        await page.GotoAsync("/audit");
        var filter = page.Locator("[data-testid=audit-filter]");
        await filter.Locator("input[name=person]").FillAsync(officer.DisplayName);
        await filter.Locator("button[type=submit]").ClickAsync();
        await BrowserFactory.ArrivedAsync(page, "**/audit?person=*");
        var viewing = page.Locator("[data-testid=audit-events] tr[data-action='record.view']");
        Assert.Equal(1, await viewing.CountAsync());
        var text = await viewing.InnerTextAsync();
        Assert.Contains("播放查看", text, StringComparison.Ordinal);
        Assert.Contains(officer.DisplayName, text, StringComparison.Ordinal);
        Assert.Contains("执法证号 " + officer.Badge, text, StringComparison.Ordinal);
        Assert.Contains(fileName, text, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}", text);
        // Only this person's events: nobody else's name is listed.
        var people = await page.Locator("[data-testid=audit-events] tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.All(people, p => Assert.Equal(officer.DisplayName, p.Split('\n')[0].Trim()));
        Assert.Contains("person=", await page.Locator("[data-testid=audit-export]").GetAttributeAsync("href") ?? "", StringComparison.Ordinal);
        await BrowserFactory.ScreenshotAsync(page, "audit-search");

        await viewing.Locator("[data-testid=leaf-link]").ClickAsync();
        await BrowserFactory.ArrivedAsync(page, "**/audit/leaves/*");
        Assert.Contains("播放查看", await page.Locator("[data-testid=leaf-kind]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"record.view\"", await page.Locator("[data-testid=leaf-json]").InnerTextAsync(), StringComparison.Ordinal);
        var verdict = page.Locator("[data-testid=leaf-verified]");
        Assert.Equal("true", await verdict.GetAttributeAsync("data-verified"));
        Assert.Contains("核验通过", await verdict.InnerTextAsync(), StringComparison.Ordinal);
        var recomputed = await page.Locator("[data-testid=recomputed-root]").InnerTextAsync();
        Assert.Matches("^[0-9a-f]{64}$", recomputed);
        Assert.Equal(recomputed, await page.Locator("[data-testid=signed-root]").InnerTextAsync());
        await BrowserFactory.ScreenshotAsync(page, "audit-leaf");
    }
}
