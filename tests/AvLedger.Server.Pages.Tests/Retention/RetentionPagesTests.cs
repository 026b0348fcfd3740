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
    public async Task A_head_approves_a_reviewed_batch_of_purges_with_one_opinion_and_one_confirmation()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using (var client = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password)))
            for (var i = 0; i < 3; i++)
                await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddDays(-200 - i)));
        using (var scope = factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<RetentionPass>().RunOnceAsync();

        var page = await factory.SignedInAsync(head);
        await page.GotoAsync("/retention");
        var pending = page.Locator("section[data-proposal][data-state=Proposed]");
        Assert.Equal(3, await pending.CountAsync());
        await pending.Nth(0).Locator("input[name=proposals]").CheckAsync();
        await pending.Nth(1).Locator("input[name=proposals]").CheckAsync();
        var batch = page.Locator("[data-testid=purge-batch]");
        await batch.Locator("textarea[name=opinion]").FillAsync("已逐条核对，均超过保存期限且未涉案，同意销毁");
        await batch.Locator("input[name=password]").FillAsync("not-my-password");
        await batch.Locator("button[value=approve]").ClickAsync();
        // A wrong confirmation decides nothing.
        Assert.Equal(1, await page.Locator("[data-testid=retention-message].error").CountAsync());
        Assert.Equal(3, await pending.CountAsync());

        await pending.Nth(0).Locator("input[name=proposals]").CheckAsync();
        await pending.Nth(1).Locator("input[name=proposals]").CheckAsync();
        await batch.Locator("textarea[name=opinion]").FillAsync("已逐条核对，均超过保存期限且未涉案，同意销毁");
        await batch.Locator("input[name=password]").FillAsync(head.Password);
        await batch.Locator("button[value=approve]").ClickAsync();
        Assert.Equal("已批准 2 条销毁提议；0 条因保存规则变化而保留。", await page.TextContentAsync("[data-testid=retention-message]"));
        Assert.Equal(2, await page.Locator("section[data-proposal][data-state=Approved]").CountAsync());
        Assert.Equal(1, await page.Locator("section[data-proposal][data-state=Proposed]").CountAsync());
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

    [Fact]
    public async Task A_legal_officer_picks_the_record_to_hold_by_its_officers_name_and_file_name()
    {
        var legal = await factory.PersonAsync(Role.LegalOfficer);
        var officer = await factory.ColleagueAsync(legal, Role.Officer);
        string id;
        using (var client = await factory.ClientAsync(officer))
            id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddDays(-3)))).RecordId!;

        var page = await factory.SignedInAsync(legal);
        await page.GotoAsync("/retention");
        var form = page.Locator("form:has(input[name=recordId])");
        var list = await form.Locator("input[name=recordId]").GetAttributeAsync("list");
        var option = page.Locator($"datalist#{list} option[value='{id}']");
        Assert.Contains($"{officer.DisplayName} {officer.Badge}", await option.GetAttributeAsync("label") ?? "", StringComparison.Ordinal);
        Assert.Contains("DSJ_20261120093000.mp4", await option.GetAttributeAsync("label") ?? "", StringComparison.Ordinal);
        await form.Locator("input[name=recordId]").FillAsync(id);
        await form.Locator("textarea[name=reason]").FillAsync("行政复议期间保全证据");
        await form.Locator("button").ClickAsync();
        Assert.DoesNotContain("未找到", await page.TextContentAsync("[data-testid=retention-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator($"a[href='/records/{id}']").CountAsync());
    }
}
