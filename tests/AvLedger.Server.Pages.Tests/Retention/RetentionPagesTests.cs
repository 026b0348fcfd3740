using AvLedger.Core.Accounts;
using AvLedger.Server.Retention;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Retention;

[Collection(BrowserCollection.Name)]
public sealed class RetentionPagesTests(BrowserFactory factory)
{
    [Fact]
    public async Task A_head_approves_a_proposed_purge_sees_the_recovery_window_and_recovers_the_record()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using (var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password)))
            await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddDays(-200)));
        using (var scope = factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<RetentionPass>().RunOnceAsync();

        var page = await factory.SignedInAsync(head);
        await page.GotoAsync("/retention");
        var proposal = page.Locator("section[data-proposal][data-state=Proposed]").First;
        await proposal.Locator("textarea[name=opinion]").FillAsync("超过保存期限，未涉案，同意销毁");
        await proposal.Locator("input[name=password]").FillAsync(head.Password);
        await proposal.Locator("button[value=approve]").ClickAsync();
        var approved = page.Locator("section[data-proposal][data-state=Approved]").First;
        await approved.WaitForAsync();
        Assert.Contains("后销毁", await approved.Locator("[data-testid=countdown]").TextContentAsync() ?? "", StringComparison.Ordinal);
        await BrowserFactory.ScreenshotAsync(page, "retention");
        await approved.Locator("[data-testid=recover]").ClickAsync();
        await page.Locator("section[data-proposal][data-state=Cancelled]").First.WaitForAsync();
    }

    [Fact]
    public async Task An_administrator_cannot_set_a_period_shorter_than_180_days()
    {
        var (page, _) = await factory.SignedInAsync(Role.SystemAdministrator);
        await page.GotoAsync("/retention");
        var general = page.Locator("form:has(input[name=days])").First;
        await general.Locator("input[name=days]").EvaluateAsync("e => { e.removeAttribute('min'); e.value = '100'; }");
        await general.Locator("button").ClickAsync();
        Assert.Contains("180", await page.TextContentAsync("[data-testid=retention-message]") ?? "", StringComparison.Ordinal);
    }

    /// <summary>The legal-hold form once answered 500 when the record id named no record the person keeps.</summary>
    [Theory]
    [InlineData("01JZZZZZZZZZZZZZZZZZZZZZZZ")]
    [InlineData("no-such-record")]
    public async Task A_legal_hold_on_an_unknown_record_is_refused_on_the_form_not_a_server_error(string recordId)
    {
        var (page, _) = await factory.SignedInAsync(Role.LegalOfficer);
        await page.GotoAsync("/retention");
        var form = page.Locator("form:has(input[name=recordId])");
        await form.Locator("input[name=recordId]").FillAsync(recordId);
        await form.Locator("textarea[name=reason], input[name=reason]").First.FillAsync("行政复议期间保全证据");
        var answer = await page.RunAndWaitForResponseAsync(() => form.Locator("button").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(422, answer.Status);
        Assert.Equal(0, await page.Locator("[data-testid=error-page]").CountAsync());
        Assert.Contains("未找到", await page.TextContentAsync("[data-testid=retention-message]") ?? "", StringComparison.Ordinal);
    }
}
