using System.Net;
using AvLedger.Core.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Infrastructure;

/// <summary>The real server on Kestrel (loopback only) and Debian's chromium driven by Playwright,
/// shared by the browser tests. Chromium must be installed (./test.sh does it); without it the
/// tests fail loudly rather than pass.</summary>
public sealed class BrowserFactory : AvLedgerFactory
{
    public const string ChromiumPath = "/usr/bin/chromium";
    IPlaywright? playwright;
    IBrowser? browser;

    protected override string Provider => "sqlite";
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser => browser ?? throw new InvalidOperationException("browser not started");

    /// <summary>Where screenshots go: AVLEDGER_SCREENSHOTS (./test.sh --screenshots sets docs/screenshots), else the test output.</summary>
    public static string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("AVLEDGER_SCREENSHOTS") is { Length: > 0 } dir
        ? Path.GetFullPath(dir) : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install chromium), as ./test.sh does.");
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ],
        });
        Directory.CreateDirectory(ScreenshotDir);
    }

    public override async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }

    public async Task<IPage> NewPageAsync(int width = 1366, int height = 768)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in through the login form as a fresh account of the given role.</summary>
    public async Task<(IPage Page, Person Person)> SignedInAsync(Role role = Role.Officer, int width = 1366, int height = 768)
    {
        var person = await PersonAsync(role);
        var page = await NewPageAsync(width, height);
        await SignInAsync(page, person.Username, person.Password);
        return (page, person);
    }

    public async Task<IPage> SignedInAsync(Person person)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, person.Username, person.Password);
        return page;
    }

    public static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=username]", username);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        // Sign-in hashes a password while other test classes print PDFs and encode video on the same
        // two cores; a stall past the default 30 s was seen once in a full run.
        await page.WaitForURLAsync("**/records", new PageWaitForURLOptions { Timeout = 90_000 });
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png") });
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFactory>
{
    public const string Name = "browser";
}
