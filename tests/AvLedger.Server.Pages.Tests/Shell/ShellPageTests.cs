using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Shell;

[Collection(BrowserCollection.Name)]
public sealed partial class ShellPageTests(BrowserFactory factory)
{
    [Fact]
    public async Task Signing_in_through_the_form_shows_the_workbench_and_the_current_user()
    {
        var person = await factory.PersonAsync();
        var page = await factory.NewPageAsync();
        await page.GotoAsync("/login");
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        await BrowserFactory.ScreenshotAsync(page, "login");
        await BrowserFactory.SignInAsync(page, person.Username, person.Password);
        Assert.Equal(person.DisplayName, await page.TextContentAsync("[data-testid=current-user]"));
        Assert.Equal("工作台", await page.TextContentAsync("h1"));
    }

    [Fact]
    public async Task A_new_account_replaces_its_administrator_set_password_at_first_sign_in()
    {
        using var admin = await factory.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/units", new { code = "WEB-PW", name = "网页改密中队" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/users", new { username = "web-newcomer", password = "set-by-admin-1", name = "新同事", badge = "710001", unitCode = "WEB-PW", roles = new[] { "officer" } })).EnsureSuccessStatusCode();
        var page = await factory.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=username]", "web-newcomer");
        await page.FillAsync("input[name=password]", "set-by-admin-1");
        await page.ClickAsync("button[type=submit]");
        await BrowserFactory.ArrivedAsync(page, "**/password?*");
        Assert.Equal(1, await page.Locator("[data-testid=password-change-required]").CountAsync());
        await page.FillAsync("input[name=currentPassword]", "set-by-admin-1");
        await page.FillAsync("input[name=newPassword]", "only-i-know-it-7");
        await page.FillAsync("input[name=confirmPassword]", "only-i-know-it-7");
        await page.ClickAsync("button[type=submit]");
        // Changing the password signs nobody in: the person signs in with the new one.
        await BrowserFactory.ArrivedAsync(page, "**/login?*");
        Assert.Equal(1, await page.Locator("[data-testid=password-changed]").CountAsync());
        await BrowserFactory.SignInAsync(page, "web-newcomer", "only-i-know-it-7");
        Assert.Equal("新同事", await page.TextContentAsync("[data-testid=current-user]"));
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_and_does_not_sign_in()
    {
        var person = await factory.PersonAsync();
        var page = await factory.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=username]", person.Username);
        await page.FillAsync("input[name=password]", "not-the-password");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Url.EndsWith("/login", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(401, response.Status);
        Assert.Equal("用户名或密码错误。", await page.TextContentAsync("[data-testid=login-error]"));
        await page.GotoAsync("/records");
        Assert.EndsWith("/login?ReturnUrl=%2Frecords", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var person = await factory.PersonAsync();
        var page = await factory.NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync("/login");
            await page.FillAsync("input[name=username]", person.Username);
            await page.FillAsync("input[name=password]", $"wrong-{i}");
            await page.ClickAsync("button[type=submit]");
        }
        Assert.Contains("账户已暂时锁定", await page.TextContentAsync("[data-testid=login-error]"), StringComparison.Ordinal);
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=username]", person.Username);
        await page.FillAsync("input[name=password]", person.Password);
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("账户已暂时锁定", await page.TextContentAsync("[data-testid=login-error]"), StringComparison.Ordinal);

        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        await BrowserFactory.SignInAsync(page, person.Username, person.Password);
    }

    [Fact]
    public async Task A_page_needing_sign_in_sends_the_visitor_to_login_and_back()
    {
        var person = await factory.PersonAsync();
        var page = await factory.NewPageAsync();
        await page.GotoAsync("/upload");
        Assert.Contains("/login?ReturnUrl=%2Fupload", page.Url, StringComparison.Ordinal);
        await page.FillAsync("input[name=username]", person.Username);
        await page.FillAsync("input[name=password]", person.Password);
        await page.ClickAsync("button[type=submit]");
        await BrowserFactory.ArrivedAsync(page, "**/upload");
    }

    [Fact]
    public async Task The_login_form_can_be_used_by_keyboard_alone()
    {
        var person = await factory.PersonAsync();
        var page = await factory.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FocusAsync("input[name=username]");
        await page.Keyboard.TypeAsync(person.Username);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(person.Password);
        await page.Keyboard.PressAsync("Enter");
        await BrowserFactory.ArrivedAsync(page, "**/workbench");
    }

    [Fact]
    public async Task An_unknown_page_shows_a_friendly_404_that_leaks_nothing()
    {
        var (page, _) = await factory.SignedInAsync();
        var response = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        Assert.Equal("页面不存在", await page.TextContentAsync("[data-testid=error-page] h1"));
        var html = await page.ContentAsync();
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain("at AvLedger", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_the_role_may_not_use_is_absent_from_navigation_and_answers_403()
    {
        var (page, _) = await factory.SignedInAsync(Role.Auditor);
        Assert.Equal(0, await page.Locator("nav a[href='/upload']").CountAsync());
        var response = await page.GotoAsync("/upload");
        Assert.Equal(403, response!.Status);
        Assert.Equal("无权访问", await page.TextContentAsync("[data-testid=error-page] h1"));
    }

    [Fact]
    public async Task English_can_be_chosen_and_Chinese_restored()
    {
        var (page, _) = await factory.SignedInAsync();
        await page.ClickAsync("a.lang");
        await BrowserFactory.ArrivedAsync(page, "**/records");
        Assert.Equal("Enforcement AV records", await page.TextContentAsync("h1"));
        Assert.Equal("Records", await page.TextContentAsync("nav a[href='/records']"));
        await page.ClickAsync("a.lang");
        Assert.Equal("执法音像记录检索", await page.TextContentAsync("h1"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var (page, _) = await factory.SignedInAsync();
        await page.ClickAsync("form[action='/logout'] button");
        await BrowserFactory.ArrivedAsync(page, "**/login");
        await page.GotoAsync("/records");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(768, 1024)]
    public async Task The_records_page_fits_the_screen_without_sideways_scrolling(int width, int height)
    {
        var (page, _) = await factory.SignedInAsync(width: width, height: height);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a {width}px screen");
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused()
    {
        var person = await factory.PersonAsync();
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(factory.BaseUrl) });
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["username"] = person.Username, ["password"] = person.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("avledger.session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_api_call_riding_on_the_web_cookie_needs_the_antiforgery_token()
    {
        var (page, _) = await factory.SignedInAsync();
        var response = await page.Context.APIRequest.PostAsync("/api/v1/uploads", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Tus-Resumable"] = "1.0.0", ["Upload-Length"] = "10", ["Upload-Metadata"] = "sha256 " + Convert.ToBase64String(new byte[32]) },
        });
        Assert.Equal(400, response.Status);
        Assert.Matches(AntiforgeryProblem(), await response.TextAsync());
    }

    [GeneratedRegex("antiforgery-invalid")]
    private static partial Regex AntiforgeryProblem();
}
