using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Approvals;

[Collection(BrowserCollection.Name)]
public sealed class ProvisionPagesTests(BrowserFactory factory)
{
    async Task<(string RecordId, AvLedgerFactory.Person Officer, AvLedgerFactory.Person Head, AvLedgerFactory.Person Superior)> WorldAsync()
    {
        var superior = await factory.PersonAsync(Role.DepartmentHead);
        var officer = await factory.PersonAsync(Role.Officer, superior.UnitCode);
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        return ((await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddMinutes(-10)))).RecordId!, officer, head, superior);
    }

    [Fact]
    public async Task A_sensitive_provision_goes_to_the_superior_for_an_opinion_then_the_head_approves()
    {
        var (id, officer, head, superior) = await WorldAsync();
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        var page = await factory.SignedInAsync(legal);
        await page.GotoAsync($"/requests?recordId={id}");
        await page.ClickAsync("main details summary");
        await page.FillAsync("input[name=organisation]", "重庆市第一中级人民法院");
        await page.FillAsync("input[name=person]", "李法官");
        await page.FillAsync("input[name=legalBasis]", "《行政诉讼法》第三十四条");
        await page.FillAsync("textarea[name=purpose]", "行政诉讼举证");
        await page.CheckAsync("input[name=sensitive]");
        await page.ClickAsync("details form button.primary");
        Assert.Contains("对外提供申请已提交", await page.TextContentAsync("[data-testid=requests-message]") ?? "", StringComparison.Ordinal);

        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/approvals");
        Assert.Contains("重庆市第一中级人民法院", await headPage.TextContentAsync("[data-testid=provision-recipient]") ?? "", StringComparison.Ordinal);
        await headPage.ClickAsync("[data-testid=consult]");

        var superiorPage = await factory.SignedInAsync(superior);
        await superiorPage.GotoAsync("/approvals");
        var ask = superiorPage.Locator("section[data-consultation]").First;
        await ask.Locator("textarea[name=opinion]").FillAsync("同意提供，注意隐去无关人员");
        await ask.Locator("input[name=password]").FillAsync(superior.Password);
        await ask.Locator("button.primary").ClickAsync();
        Assert.Contains("意见已提交", await superiorPage.TextContentAsync("[data-testid=approvals-message]") ?? "", StringComparison.Ordinal);

        await headPage.GotoAsync("/approvals");
        var item = headPage.Locator("section[data-state=Pending]").First;
        await item.Locator("textarea[name=opinion]").FillAsync("同意提供");
        await item.Locator("input[name=password]").FillAsync(head.Password);
        await item.Locator("button[value=approve]").ClickAsync();
        await headPage.Locator("section[data-state=Approved]").First.WaitForAsync();

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var account = await db.Accounts.SingleAsync(a => a.Username == legal.Username);
        Assert.True(await db.Records.ProvidableBy(account, factory.Clock.GetUtcNow()).AnyAsync(r => r.Id == id));
    }

    [Fact]
    public async Task A_confidentiality_change_is_asked_on_the_record_page_and_decided_in_the_heads_inbox()
    {
        var (id, officer, head, _) = await WorldAsync();
        var page = await factory.SignedInAsync(officer);
        await page.GotoAsync($"/records/{id}");
        await page.SelectOptionAsync("select[name=level]", "PersonalPrivacy");
        await page.FillAsync("input[name=levelReason]", "含当事人面部");
        await page.ClickAsync("form:has(select[name=level]) button");
        Assert.Contains("须经记录所属单位负责人批准", await page.TextContentAsync("[data-testid=level-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal("无", await page.TextContentAsync("[data-testid=confidentiality]"));

        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/approvals");
        var change = headPage.Locator("section[data-level-change]").First;
        await change.Locator("textarea[name=opinion]").FillAsync("同意");
        await change.Locator("input[name=password]").FillAsync(head.Password);
        await change.Locator("button[value=approve]").ClickAsync();
        await page.GotoAsync($"/records/{id}");
        Assert.Equal("个人隐私", await page.TextContentAsync("[data-testid=confidentiality]"));
    }
}
