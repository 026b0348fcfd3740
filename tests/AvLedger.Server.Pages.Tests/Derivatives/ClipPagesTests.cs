using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Derivatives;

[Collection(BrowserCollection.Name)]
public sealed class ClipPagesTests(BrowserFactory factory)
{
    [Fact]
    public async Task A_clip_cut_on_the_record_page_is_listed_labelled_and_plays_on_its_own_page_linked_to_the_original()
    {
        var (page, person) = await factory.SignedInAsync();
        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        var status = await Tus.UploadAsync(client, await Tus.NewSampleAsync(6, factory.Clock.GetUtcNow().AddMinutes(-10)), 256 * 1024,
            $"{person.DeviceCode}_{person.Badge}_20261120093000.mp4", ("deviceCode", person.DeviceCode), ("officerBadge", person.Badge));
        var id = status.RecordId!;

        await page.GotoAsync($"/records/{id}");
        await page.FillAsync("[data-testid=clip-form] input[name=clipStart]", "0:01");
        await page.FillAsync("[data-testid=clip-form] input[name=clipEnd]", "3.5");
        await page.ClickAsync("[data-testid=clip-form] button[type=submit]");
        Assert.Contains("截取", await page.TextContentAsync("[data-testid=clip-message]") ?? "", StringComparison.Ordinal);
        var row = page.Locator("[data-testid=derivatives] tr[data-kind=Clip]");
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("非执法音像记录", await row.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Contains("0:01.0–0:03.5", await row.TextContentAsync() ?? "", StringComparison.Ordinal);

        // The page refreshes itself while the clip is being made.
        await page.WaitForSelectorAsync("[data-testid=derivatives] [data-testid=derivative-download]", new PageWaitForSelectorOptions { Timeout = 60_000 });
        await BrowserFactory.ScreenshotAsync(page, "record-derivatives");
        await row.Locator("a", new LocatorLocatorOptions { HasText = "打开" }).ClickAsync();
        await BrowserFactory.ArrivedAsync(page, "**/derivatives/*");
        Assert.Contains("非执法音像记录", await page.TextContentAsync("[data-testid=derivative-label]") ?? "", StringComparison.Ordinal);
        Assert.Equal($"/records/{id}", await page.GetAttributeAsync("[data-testid=original-link]", "href"));
        var clipId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        Assert.Equal($"/api/v1/derivatives/{clipId}/view", await page.GetAttributeAsync("#player", "src"));
        await page.WaitForFunctionAsync("() => document.querySelector('#player').readyState >= 1");
        var duration = await page.EvalOnSelectorAsync<double>("#player", "v => v.duration");
        Assert.InRange(duration, 2.5 - 0.5, 2.5 + 0.5);
        await BrowserFactory.ScreenshotAsync(page, "derivative");
    }

    [Fact]
    public async Task A_bad_range_on_the_record_page_says_what_is_wrong_and_cuts_nothing()
    {
        var (page, person) = await factory.SignedInAsync();
        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        var id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(2, factory.Clock.GetUtcNow().AddMinutes(-10)), 256 * 1024,
            $"{person.DeviceCode}_{person.Badge}_20261120093000.mp4", ("deviceCode", person.DeviceCode), ("officerBadge", person.Badge))).RecordId!;
        await page.GotoAsync($"/records/{id}");
        await page.FillAsync("[data-testid=clip-form] input[name=clipStart]", "0:01");
        await page.FillAsync("[data-testid=clip-form] input[name=clipEnd]", "9:00");
        await page.ClickAsync("[data-testid=clip-form] button[type=submit]");
        Assert.Contains("录像时长", await page.TextContentAsync("[data-testid=clip-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=derivatives] tr[data-kind=Clip]").CountAsync());
    }
}
