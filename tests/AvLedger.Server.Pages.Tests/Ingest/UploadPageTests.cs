using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Ingest;

[Collection(BrowserCollection.Name)]
public sealed class UploadPageTests(BrowserFactory factory) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("avledger-upload-page-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    async Task<string> SampleFileAsync(BrowserFactory.Person person, string name)
    {
        var path = Path.Combine(dir, name);
        await File.WriteAllBytesAsync(path, await Tus.NewSampleAsync(3));
        return path;
    }

    static async Task AddAndUploadAsync(IPage page, params string[] paths)
    {
        await page.SetInputFilesAsync("input.uppy-Dashboard-input >> nth=0", paths);
        await page.ClickAsync(".uppy-StatusBar-actionBtn--upload");
    }

    [Fact]
    public async Task A_clip_uploaded_through_the_page_is_listed_plays_and_its_viewing_is_audited()
    {
        var (page, person) = await factory.SignedInAsync();
        var path = await SampleFileAsync(person, $"{person.DeviceCode}_{person.Badge}_20261120093000.mp4");
        await page.GotoAsync("/upload");
        await page.SelectOptionAsync("#deviceCode", person.DeviceCode);
        await page.SelectOptionAsync("#activityType", "onSitePenalty");
        Assert.Equal(person.Badge, await page.InputValueAsync("#officerBadge"));
        await BrowserFactory.ScreenshotAsync(page, "upload");
        await AddAndUploadAsync(page, path);
        var link = page.Locator("#upload-results li[data-state=stored] a");
        await link.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var recordUrl = await link.GetAttributeAsync("href");
        var id = recordUrl!.Split('/')[^1];

        // The server stored exactly the bytes the browser hashed.
        using (var scope = factory.Services.CreateScope())
        {
            var record = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.SingleAsync(r => r.Id == id);
            Assert.Equal(Tus.Sha256(await File.ReadAllBytesAsync(path)), record.Sha256);
            Assert.Equal(person.DeviceCode, record.DeviceCode);
            Assert.Equal("onSitePenalty", record.ActivityType);
        }

        await page.GotoAsync("/records");
        await page.ClickAsync($"tr[data-record-id='{id}'] td:nth-child(2) a");
        await BrowserFactory.ArrivedAsync(page, $"**/records/{id}");
        await page.WaitForFunctionAsync("() => document.querySelector('#player').readyState >= 1");
        await page.EvalOnSelectorAsync("#player", "v => { v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync("() => document.querySelector('#player').currentTime > 0.5", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        await page.ReloadAsync();
        Assert.Equal(1, await page.Locator("[data-testid=audit-trail] tr[data-action='record.view']").CountAsync());
    }

    [Fact]
    public async Task Several_files_upload_at_once_each_with_its_own_result()
    {
        var (page, person) = await factory.SignedInAsync();
        var first = await SampleFileAsync(person, $"{person.DeviceCode}_{person.Badge}_20261120093000.mp4");
        var second = await SampleFileAsync(person, $"{person.DeviceCode}_{person.Badge}_20261120094000.mp4");
        await page.GotoAsync("/upload");
        await AddAndUploadAsync(page, first, second);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#upload-results li[data-state=stored]').length === 2", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
    }

    [Fact]
    public async Task An_upload_cut_off_mid_file_resumes_where_it_stopped_after_the_page_is_reopened()
    {
        var (page, person) = await factory.SignedInAsync();
        // 40 MiB behind a real MP4 header: three 16 MiB PATCHes.
        var path = Path.Combine(dir, $"{person.DeviceCode}_{person.Badge}_20261120100000.mp4");
        var sample = await Tus.NewSampleAsync(2);
        var bytes = new byte[40 * 1024 * 1024];
        Random.Shared.NextBytes(bytes);
        sample.CopyTo(bytes, 0);
        await File.WriteAllBytesAsync(path, bytes);

        // The second chunk never arrives, and the page is closed meanwhile.
        var patches = 0;
        var stalled = new TaskCompletionSource();
        await page.RouteAsync("**/api/v1/uploads/*", async route =>
        {
            if (route.Request.Method == "PATCH" && ++patches > 1) stalled.TrySetResult();
            else await route.ContinueAsync();
        });
        await page.GotoAsync("/upload");
        await AddAndUploadAsync(page, path);
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await page.UnrouteAllAsync(new PageUnrouteAllOptions { Behavior = UnrouteBehavior.IgnoreErrors });

        // Reopened, the same file continues from the server's offset instead of starting over.
        var offsets = new List<long>();
        page.Request += (_, request) =>
        {
            if (request.Method == "PATCH" && request.Headers.TryGetValue("upload-offset", out var offset)) offsets.Add(long.Parse(offset, System.Globalization.CultureInfo.InvariantCulture));
        };
        await page.GotoAsync("/upload");
        await AddAndUploadAsync(page, path);
        await page.Locator("#upload-results li[data-state=stored]").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        Assert.NotEmpty(offsets);
        Assert.Equal(16 * 1024 * 1024, offsets[0]);
        using var scope = factory.Services.CreateScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.AnyAsync(r => r.Sha256 == Tus.Sha256(bytes)));
    }

    [Fact]
    public async Task A_file_the_server_refuses_shows_the_reason_in_words()
    {
        var (page, _) = await factory.SignedInAsync();
        var path = Path.Combine(dir, "notes.mp4");
        await File.WriteAllTextAsync(path, "this is not a recording, only text pretending to be one");
        await page.GotoAsync("/upload");
        await AddAndUploadAsync(page, path);
        var error = page.Locator("#upload-results li[data-state=error]");
        await error.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var text = await error.TextContentAsync() ?? "";
        Assert.Contains("notes.mp4", text, StringComparison.Ordinal);
        Assert.Contains("格式", text, StringComparison.Ordinal);
    }
}
