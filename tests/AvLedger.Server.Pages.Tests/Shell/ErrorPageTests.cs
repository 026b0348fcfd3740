using AvLedger.Core.Records;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Shell;

/// <summary>The real server with the records list's query broken, so its page fails while rendering.</summary>
public sealed class FailingPageFactory : BrowserFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddScoped<RecordFinder>(_ => throw new InvalidOperationException("a page failed (test)")));
    }
}

/// <summary>An unhandled error once showed the browser's own English "This page isn't working": the error
/// handler itself threw (the failed page's navigation manager was reused), so the Chinese page was never reached.</summary>
public sealed class ErrorPageTests(FailingPageFactory factory) : IClassFixture<FailingPageFactory>
{
    [Fact]
    public async Task A_page_that_fails_shows_the_chinese_error_page_with_a_reference()
    {
        var (page, _) = await factory.SignedInAsync();
        var response = await page.GotoAsync("/records");
        Assert.Equal(500, response!.Status);
        Assert.Equal(1, await page.Locator("[data-testid=error-page]").CountAsync());
        Assert.Contains("系统出错", await page.TextContentAsync("h1") ?? "", StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await page.TextContentAsync("[data-testid=trace-id]")));
        Assert.DoesNotContain("a page failed", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_error_page_speaks_english_to_a_reader_who_chose_it()
    {
        var (page, _) = await factory.SignedInAsync();
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = "c=en|uic=en", Url = factory.BaseUrl }]);
        var response = await page.GotoAsync("/records");
        Assert.Equal(500, response!.Status);
        Assert.Contains("Something went wrong", await page.TextContentAsync("h1") ?? "", StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await page.TextContentAsync("[data-testid=trace-id]")));
    }
}
