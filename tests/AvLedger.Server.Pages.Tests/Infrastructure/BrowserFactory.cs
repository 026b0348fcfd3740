using System.Net;
using System.Text;
using AvLedger.Core.Accounts;
using AvLedger.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Infrastructure;

/// <summary>The real server on Kestrel (loopback only) and Debian's chromium driven by Playwright,
/// shared by the browser tests. Chromium must be installed (./test.sh does it); without it the
/// tests fail loudly rather than pass.</summary>
public class BrowserFactory : AvLedgerFactory
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

    /// <summary>A page signed in as a fresh account of the given role, on its start page.</summary>
    public async Task<(IPage Page, Person Person)> SignedInAsync(Role role = Role.Officer, int width = 1366, int height = 768)
    {
        var person = await PersonAsync(role);
        return (await SignedInAsync(person, width, height), person);
    }

    /// <summary>A page signed in as <paramref name="person"/> with a session cookie minted in-process, as the
    /// login form would issue it: tests that are not about signing in pay no password hash and no form
    /// round-trip (sign-in tests use <see cref="SignInAsync"/>, the form itself).</summary>
    public async Task<IPage> SignedInAsync(Person person, int width = 1366, int height = 768)
    {
        var page = await NewPageAsync(width, height);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie
        {
            Name = WebSignIn.CookieName, Value = await SessionCookieAsync(person.Username), Url = BaseUrl, HttpOnly = true, SameSite = SameSiteAttribute.Lax,
        }]);
        await page.GotoAsync("/records");
        return page;
    }

    async Task<string> SessionCookieAsync(string username)
    {
        using var scope = Services.CreateScope();
        var account = await scope.ServiceProvider.GetRequiredService<Core.Data.AvLedgerDb>().Accounts.AsNoTracking().SingleAsync(a => a.Username == username);
        var cookies = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var now = Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(WebSignIn.Principal(account),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + cookies.ExpireTimeSpan }, CookieAuthenticationDefaults.AuthenticationScheme);
        return cookies.TicketDataFormat.Protect(ticket);
    }

    public static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=username]", username);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        // Sign-in hashes a password while other test classes print PDFs and encode video on the same
        // two cores; a stall past the default 30 s was seen once in a full run.
        await ArrivedAsync(page, "**/workbench", timeout: 90_000);
    }

    /// <summary>Waits until the page is at a URL matching <paramref name="glob"/> (** any text, * any text
    /// but '/', ? itself) and that document has loaded, asking the browser. Playwright's WaitForURL reads the
    /// URL and load states it last heard of, then subscribes to the next event: one arriving in between is
    /// missed, and the wait runs out (a sign-in hung 90 s so in a full run).</summary>
    public static Task ArrivedAsync(IPage page, string glob, float timeout = 30_000) =>
        page.WaitForFunctionAsync("source => new RegExp(source).test(location.href) && document.readyState === 'complete'",
            GlobPattern(glob), new PageWaitForFunctionOptions { Timeout = timeout, PollingInterval = 100 });

    static string GlobPattern(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*')
            {
                var anyText = i + 1 < glob.Length && glob[i + 1] == '*';
                pattern.Append(anyText ? ".*" : "[^/]*");
                if (anyText) i++;
            }
            else
            {
                if (@"\^$.|?+()[]{}".Contains(glob[i], StringComparison.Ordinal)) pattern.Append('\\');
                pattern.Append(glob[i]);
            }
        }
        return pattern.Append('$').ToString();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png") });
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFactory>
{
    public const string Name = "browser";
}
