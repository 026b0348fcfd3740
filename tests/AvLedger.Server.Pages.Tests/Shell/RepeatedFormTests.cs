using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Shell;

/// <summary>A form sent again (the browser's refresh after a post, a double click) once added a second key-content
/// marker, and with it a second permanent ledger leaf.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RepeatedFormTests(BrowserFactory factory)
{
    async Task<(IPage Page, string RecordId)> MarkerFormAsync()
    {
        var officer = await factory.PersonAsync();
        string id;
        using (var client = factory.ClientWith(await factory.MintAsync(officer.Username)))
            id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(3, factory.Clock.GetUtcNow().AddMinutes(-10)), extra: [("deviceCode", officer.DeviceCode)])).RecordId!;
        var page = await factory.SignedInAsync(officer);
        await page.GotoAsync($"/records/{id}");
        var form = page.Locator("[data-testid=marker-form]");
        await form.Locator("input[name=markerAt]").FillAsync("1");
        await form.Locator("input[name=markerNote]").FillAsync("出示执法证件");
        return (page, id);
    }

    /// <summary>Sends a form's fields as the browser would, without following the answer's redirect.</summary>
    static Task<IAPIResponse> PostAsync(IPage page, string path, string body) => page.Context.APIRequest.PostAsync(path, new APIRequestContextOptions
    {
        Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
        DataString = body,
        MaxRedirects = 0,
    });

    async Task<(int Markers, int Leaves)> CountAsync(string recordId)
    {
        await factory.WorkersIdleAsync();
        using var scope = factory.Services.CreateScope();
        var markers = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().KeyContentMarkers.CountAsync(m => m.RecordId == recordId);
        var leaves = (await factory.LedgerLeavesAsync()).Count(l => l.Contains("marker", StringComparison.Ordinal) && l.Contains(recordId, StringComparison.Ordinal));
        return (markers, leaves);
    }

    [Fact]
    public async Task The_same_form_sent_three_times_at_once_and_later_adds_one_marker_and_one_ledger_leaf()
    {
        var (page, id) = await MarkerFormAsync();
        var body = await page.Locator("[data-testid=marker-form]").EvaluateAsync<string>("f => new URLSearchParams(new FormData(f)).toString()");
        Task<IAPIResponse> Send() => PostAsync(page, $"/records/{id}", body);
        var answers = (await Task.WhenAll(Send(), Send())).Append(await Send()).ToList();

        // The one that saved is sent back to the page with a GET (post/redirect/get); the others are told they were sent already.
        var saved = Assert.Single(answers, a => a.Headers["location"].Contains("notice=marker", StringComparison.Ordinal));
        Assert.Equal(303, saved.Status);
        Assert.All(answers.Where(a => a != saved), a =>
        {
            Assert.Equal(303, a.Status);
            Assert.EndsWith($"/records/{id}?resubmitted=1", a.Headers["location"], StringComparison.Ordinal);
        });
        Assert.Equal((1, 1), await CountAsync(id));
    }

    [Fact]
    public async Task After_adding_a_marker_the_page_is_a_plain_get_so_refreshing_adds_nothing()
    {
        var (page, id) = await MarkerFormAsync();
        var answer = await page.RunAndWaitForResponseAsync(() => page.Locator("[data-testid=marker-form] button").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains($"/records/{id}", StringComparison.Ordinal));
        Assert.Equal(303, answer.Status);
        await BrowserFactory.ArrivedAsync(page, $"**/records/{id}?*notice=marker*");
        Assert.Equal("标记已添加，并记入账本。", await page.TextContentAsync("[data-testid=marker-message]"));
        await page.ReloadAsync();
        Assert.Equal((1, 1), await CountAsync(id));
        Assert.Equal(1, await page.Locator("[data-testid=marker-message]").CountAsync());
    }

    [Fact]
    public async Task A_form_posted_again_from_history_saves_nothing_and_says_so()
    {
        var (page, id) = await MarkerFormAsync();
        var body = await page.Locator("[data-testid=marker-form]").EvaluateAsync<string>("f => new URLSearchParams(new FormData(f)).toString()");
        Assert.Equal(303, (await PostAsync(page, $"/records/{id}", body)).Status);
        await page.GotoAsync($"/records/{id}");
        // The browser's "resend the form" after going back: the same token once more.
        await page.EvaluateAsync(@"body => { const f = document.createElement('form'); f.method = 'post';
            for (const [k, v] of new URLSearchParams(body)) { const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.append(i); }
            document.body.append(f); f.submit(); }", body);
        await BrowserFactory.ArrivedAsync(page, $"**/records/{id}?resubmitted=1");
        Assert.Equal(1, await page.Locator("[data-testid=resubmitted]").CountAsync());
        Assert.Equal((1, 1), await CountAsync(id));
    }

    /// <summary>The success line travels in the address sealed: an address made up by someone else shows nothing.</summary>
    [Fact]
    public async Task A_made_up_success_line_in_the_address_is_not_shown()
    {
        var (page, id) = await MarkerFormAsync();
        await page.GotoAsync($"/records/{id}?notice=marker&said={Uri.EscapeDataString("请拨打 110 领取奖金")}");
        Assert.Equal(0, await page.Locator("[data-testid=marker-message]").CountAsync());
        Assert.DoesNotContain("领取奖金", await page.ContentAsync(), StringComparison.Ordinal);
    }

    /// <summary>The guard once read the form before the page checked its antiforgery token, which answered 500.</summary>
    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_with_400_for_a_signed_in_person()
    {
        var (page, id) = await MarkerFormAsync();
        var body = await page.Locator("[data-testid=marker-form]").EvaluateAsync<string>(
            "f => { const d = new FormData(f); d.delete('__RequestVerificationToken'); return new URLSearchParams(d).toString(); }");
        var answer = await PostAsync(page, $"/records/{id}", body);
        Assert.Equal(400, answer.Status);
        Assert.Equal((0, 0), await CountAsync(id));
    }
}
