using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Exports;

[Collection(BrowserCollection.Name)]
public sealed class ExportPagesTests(BrowserFactory factory)
{
    [Fact]
    public async Task A_legal_officer_exports_from_the_record_page_and_watches_the_package_become_ready()
    {
        var (page, legal) = await factory.SignedInAsync(Role.LegalOfficer);
        var officer = await factory.ColleagueAsync(legal, Role.Officer);
        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(2, factory.Clock.GetUtcNow().AddMinutes(-10)), 256 * 1024,
            $"{officer.DeviceCode}_{officer.Badge}_20261120093000.mp4", ("deviceCode", officer.DeviceCode), ("officerBadge", officer.Badge))).RecordId!;

        await page.GotoAsync($"/records/{id}");
        await page.FillAsync("[data-testid=export-form] input[name=exportPurpose]", "行政诉讼举证");
        await page.ClickAsync("[data-testid=export-form] button[type=submit]");
        await BrowserFactory.ArrivedAsync(page, "**/exports/*");
        var state = await page.GetAttributeAsync("[data-testid=export-state]", "data-state");
        Assert.Contains(state, new[] { "Queued", "Running", "Ready" });
        // The page refreshes itself while the package is being made.
        await page.WaitForSelectorAsync("[data-testid=export-state][data-state=Ready]", new PageWaitForSelectorOptions { Timeout = 120_000 });
        Assert.Contains("已就绪", await page.TextContentAsync("[data-testid=export-state]") ?? "", StringComparison.Ordinal);
        var exportId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        Assert.Equal($"/api/v1/exports/{exportId}/download", await page.GetAttributeAsync("[data-testid=export-download]", "href"));
        Assert.Equal("100", await page.GetAttributeAsync("[data-testid=export-progress]", "value"));
        await BrowserFactory.ScreenshotAsync(page, "export-ready");

        // The packages page lists it, with its state and downloads.
        await page.GotoAsync("/exports");
        var row = page.Locator($"[data-testid=my-exports] tr[data-export='{exportId}']");
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("已就绪", await row.TextContentAsync() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_legal_officer_exports_several_records_ticked_in_the_list_as_one_package()
    {
        var (page, legal) = await factory.SignedInAsync(Role.LegalOfficer);
        var officer = await factory.ColleagueAsync(legal, Role.Officer);
        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddHours(-2 - i)))).RecordId!);

        await page.GotoAsync($"/records?officer={officer.Badge}");
        // Each row says whose unit the record belongs to.
        Assert.Contains($"第{legal.UnitCode[1..]}中队", await page.TextContentAsync($"tr[data-record-id='{ids[0]}']") ?? "", StringComparison.Ordinal);
        await page.CheckAsync($"tr[data-record-id='{ids[0]}'] input[name=exportRecords]");
        await page.CheckAsync($"tr[data-record-id='{ids[2]}'] input[name=exportRecords]");
        await page.FillAsync("[data-testid=export-form] input[name=exportPurpose]", "行政复议举证");
        await page.ClickAsync("[data-testid=export-form] button[type=submit]");
        await BrowserFactory.ArrivedAsync(page, "**/exports/*");
        var records = page.Locator("[data-testid=export] a[href^='/records/']");
        Assert.Equal(2, await records.CountAsync());
        Assert.Equal(1, await page.Locator($"[data-testid=export] a[href='/records/{ids[0]}']").CountAsync());
        Assert.Equal(1, await page.Locator($"[data-testid=export] a[href='/records/{ids[2]}']").CountAsync());
        // The package names its records by time, officer and file, not by id.
        Assert.Contains(officer.DisplayName, await page.Locator($"[data-testid=export] a[href='/records/{ids[0]}']").TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(ids[0], await page.Locator($"[data-testid=export] a[href='/records/{ids[0]}']").TextContentAsync() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_recipients_signed_receipt_is_uploaded_on_the_package_page_and_shown_to_the_deciding_head()
    {
        var (page, legal) = await factory.SignedInAsync(Role.LegalOfficer);
        var officer = await factory.ColleagueAsync(legal, Role.Officer);
        var head = await factory.ColleagueAsync(legal, Role.DepartmentHead);
        using var own = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddMinutes(-10)), 256 * 1024,
            $"{officer.DeviceCode}_{officer.Badge}_20261120093000.mp4", ("deviceCode", officer.DeviceCode), ("officerBadge", officer.Badge))).RecordId!;
        using var client = factory.ClientWith(await factory.TokenAsync(legal.Username, legal.Password));
        using var provision = await client.PostAsJsonAsync("/api/v1/provisions", new
        {
            recipientOrganisation = "重庆市渝中区人民法院", recipientPerson = "王书记员", purpose = "行政诉讼举证", legalBasis = "《行政诉讼法》第三十四条", recordIds = new[] { id },
        });
        var provisionId = JsonDocument.Parse(await provision.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        string decisionId;
        using (var h = factory.ClientWith(await factory.TokenAsync(head.Username, head.Password)))
        {
            using var approved = await h.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意", password = head.Password });
            approved.EnsureSuccessStatusCode();
            decisionId = JsonDocument.Parse(await approved.Content.ReadAsStringAsync()).RootElement.GetProperty("decisions")[0].GetProperty("id").GetString()!;
        }
        using var made = await client.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { id }, purpose = "行政诉讼举证", provisionId });
        var exportId = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        await page.GotoAsync($"/exports/{exportId}");
        await page.WaitForSelectorAsync("[data-testid=export-state][data-state=Ready]", new PageWaitForSelectorOptions { Timeout = 120_000 });
        await page.SetInputFilesAsync("[data-testid=receipt-form] input[type=file]",
            new FilePayload { Name = "回执.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 signed"u8.ToArray() });
        await page.ClickAsync("[data-testid=receipt-form] button[type=submit]");
        Assert.Contains("回执已上传", await page.TextContentAsync("[data-testid=receipt-message]") ?? "", StringComparison.Ordinal);

        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/exports");
        var row = headPage.Locator($"[data-testid=provision-exports] tr[data-export='{exportId}']");
        Assert.Contains("重庆市渝中区人民法院", await row.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal($"/api/v1/exports/{exportId}/receipt", await row.Locator("a", new LocatorLocatorOptions { HasText = "查看回执" }).GetAttributeAsync("href"));

        // The provision's own page (its written approval) follows the package: state, downloads, receipt.
        using (var download = await client.GetAsync($"/api/v1/exports/{exportId}/download"))
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        await headPage.GotoAsync($"/approvals/{decisionId}");
        var onProvision = headPage.Locator($"[data-testid=provision-packages] tr[data-export='{exportId}']");
        var cells = await onProvision.Locator("td").AllTextContentsAsync();
        Assert.Contains(cells, c => c.Contains("已就绪", StringComparison.Ordinal));
        Assert.Equal("重庆市渝中区人民法院 · 王书记员", cells[3].Trim());
        Assert.Equal("1", cells[5].Trim()); // records in the package
        Assert.Equal("1", cells[6].Trim()); // downloads
        Assert.Equal($"/api/v1/exports/{exportId}/receipt", await onProvision.Locator("a", new LocatorLocatorOptions { HasText = "查看回执" }).GetAttributeAsync("href"));
        await onProvision.ScrollIntoViewIfNeededAsync();
        await BrowserFactory.ScreenshotAsync(headPage, "provision-packages");
    }

    [Fact]
    public async Task An_officer_sees_no_export_form_on_their_own_record()
    {
        var (page, officer) = await factory.SignedInAsync(Role.Officer);
        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddMinutes(-10)), 256 * 1024,
            $"{officer.DeviceCode}_{officer.Badge}_20261120093000.mp4", ("deviceCode", officer.DeviceCode), ("officerBadge", officer.Badge))).RecordId!;
        await page.GotoAsync($"/records/{id}");
        Assert.Equal(0, await page.Locator("[data-testid=export-form]").CountAsync());
    }
}
