using System.Collections.Concurrent;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Docs;

[Collection(BrowserCollection.Name)]
public sealed class ApiDocsPageTests(BrowserFactory factory)
{
    [Fact]
    public async Task The_reference_lists_the_operations_in_chinese_and_asks_nothing_of_another_machine()
    {
        var page = await factory.NewPageAsync();
        // Every request of the context, workers included: fonts, telemetry, the agent, a CDN bundle.
        var requests = new ConcurrentQueue<string>();
        page.Context.Request += (_, r) => requests.Enqueue(r.Url);
        await page.GotoAsync("/docs");
        try
        {
            // The features in the sidebar, and the first feature's operations in words.
            await page.GetByText("上传（tus）").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
            await page.GetByText("签发访问令牌").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        finally
        {
            await BrowserFactory.ScreenshotAsync(page, "api-docs");
        }
        Assert.Contains(requests, u => u.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        var elsewhere = requests.Where(u => !u.StartsWith(factory.BaseUrl + "/", StringComparison.Ordinal)
            && !u.StartsWith("data:", StringComparison.Ordinal) && !u.StartsWith("blob:", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(elsewhere.Count == 0, string.Join("\n", elsewhere));
        Assert.Equal(0, await page.GetByText("Ask AI").CountAsync());
    }

    [Fact]
    public async Task Signed_in_people_reach_the_reference_from_the_shell()
    {
        var (page, _) = await factory.SignedInAsync();
        var link = page.Locator("[data-testid=api-docs]");
        Assert.Equal("接口文档", (await link.TextContentAsync())?.Trim());
        await link.ClickAsync();
        await BrowserFactory.ArrivedAsync(page, "**/docs/**");
    }
}
