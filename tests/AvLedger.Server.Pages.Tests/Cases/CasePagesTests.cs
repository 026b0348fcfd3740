using System.Net.Http.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Cases;

/// <summary>Art. 15 in the browser: a legal officer enters a case, links a record, closes the case;
/// the record's page and the records list find the record by its case.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CasePagesTests(BrowserFactory factory)
{
    [Fact]
    public async Task A_legal_officer_enters_a_case_links_a_record_and_the_record_is_found_by_its_plate()
    {
        var officer = await factory.PersonAsync();
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var recordId = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(1))).RecordId!;
        var number = $"渝交执罚〔2026〕{Guid.NewGuid().ToString("N")[..6]}号";
        var plate = $"渝C{Random.Shared.Next(10000, 99999)}";

        var page = await factory.SignedInAsync(legal);
        Assert.Equal(1, await page.Locator("nav a[href='/cases']").CountAsync());
        await page.GotoAsync("/cases");
        await page.ClickAsync("main details summary");
        await page.FillAsync("input[name=number]", number);
        await page.FillAsync("input[name=title]", "非法营运案");
        await page.SelectOptionAsync("select[name=unitCode]", officer.UnitCode);
        await page.FillAsync("input[name=plates]", plate);
        await page.ClickAsync("form[method=post] button[type=submit].primary");
        Assert.Contains(number, await page.TextContentAsync("[data-testid=cases-message]") ?? "", StringComparison.Ordinal);

        await page.ClickAsync($"tr[data-case='{number}'] a");
        await page.FillAsync("input[name=recordId]", recordId);
        await page.ClickAsync("form:has(input[name=recordId]) button");
        Assert.Equal(1, await page.Locator($"[data-testid=case-links] tr[data-record-id='{recordId}']").CountAsync());
        // The same box takes the id of the recording's enforcement session.
        using (var doc = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"/api/v1/records/{recordId}")))
            await page.FillAsync("input[name=recordId]", doc.RootElement.GetProperty("sessionId").GetString()!);
        await page.ClickAsync("form:has(input[name=recordId]) button");
        Assert.Equal(2, await page.Locator("[data-testid=case-links] tr[data-link]").CountAsync());
        await page.ClickAsync("form:has(select[name=status]) button");
        Assert.Equal("已结案", (await page.TextContentAsync("[data-testid=case-status]"))?.Trim());
        await BrowserFactory.ScreenshotAsync(page, "case");

        await page.GotoAsync($"/records?q={Uri.EscapeDataString(plate)}");
        Assert.Equal(1, await page.Locator($"tr[data-record-id='{recordId}']").CountAsync());
        await page.GotoAsync($"/records/{recordId}");
        Assert.Contains(number, await page.TextContentAsync("[data-testid=record-cases]") ?? "", StringComparison.Ordinal);
    }
}
