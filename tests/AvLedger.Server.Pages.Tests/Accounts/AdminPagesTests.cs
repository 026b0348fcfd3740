using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Accounts;

[Collection(BrowserCollection.Name)]
public sealed class AdminPagesTests(BrowserFactory factory)
{
    async Task<IPage> AdminPageAsync()
    {
        var page = await factory.NewPageAsync();
        await BrowserFactory.SignInAsync(page, "admin", AvLedgerFactory.AdminPassword);
        return page;
    }

    [Fact]
    public async Task An_administrator_builds_the_unit_tree_and_adds_a_user_who_must_change_the_password()
    {
        var page = await AdminPageAsync();
        Assert.Equal(1, await page.Locator("nav a[href='/admin/users']").CountAsync());
        Assert.Equal(0, await page.Locator("nav a[href='/upload']").CountAsync());

        await page.GotoAsync("/admin/units");
        await page.FillAsync("input[name=code]", "WEB-ROOT");
        await page.FillAsync("input[name=name]", "网页总队");
        await page.ClickAsync("form button[type=submit].primary");
        await page.FillAsync("input[name=code]", "WEB-CHILD");
        await page.FillAsync("input[name=name]", "网页支队");
        await page.SelectOptionAsync("select[name=parentCode]", "WEB-ROOT");
        await page.ClickAsync("form button[type=submit].primary");
        Assert.Contains("网页支队", await page.TextContentAsync("tr[data-unit='WEB-CHILD']") ?? "", StringComparison.Ordinal);
        await BrowserFactory.ScreenshotAsync(page, "admin-units");

        await page.GotoAsync("/admin/users");
        await page.FillAsync("input[name=username]", "web-officer");
        await page.FillAsync("input[name=name]", "网页警员");
        await page.FillAsync("input[name=badge]", "720001");
        await page.SelectOptionAsync("select[name=unitCode]", "WEB-CHILD");
        await page.FillAsync("input[name=password]", "initial-pass-9");
        await page.CheckAsync("input[name=roles][value=Officer]");
        await page.ClickAsync("form button[type=submit].primary");
        var row = await page.TextContentAsync("tr[data-user='web-officer']") ?? "";
        Assert.Contains("执法人员", row, StringComparison.Ordinal);
        Assert.Contains("待修改初始密码", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_shown_in_words_and_changes_nothing()
    {
        var page = await AdminPageAsync();
        await page.GotoAsync("/admin/users");
        await page.FillAsync("input[name=username]", "no-badge-officer");
        await page.FillAsync("input[name=name]", "无执法证号");
        await page.FillAsync("input[name=password]", "initial-pass-9");
        await page.CheckAsync("input[name=roles][value=Officer]");
        await page.ClickAsync("form button[type=submit].primary");
        Assert.Contains("执法证号", await page.TextContentAsync("[data-testid=users-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("tr[data-user='no-badge-officer']").CountAsync());
    }

    [Fact]
    public async Task Roles_are_changed_on_the_users_page_but_never_by_an_administrator_for_themselves()
    {
        var person = await factory.PersonAsync();
        var page = await AdminPageAsync();
        await page.GotoAsync("/admin/users");
        var row = page.Locator($"tr[data-user='{person.Username}']");
        await row.Locator("summary").ClickAsync();
        await row.Locator("input[name=editRoles][value=Inspector]").CheckAsync();
        await row.Locator("details form >> nth=0 >> button").ClickAsync();
        Assert.Contains("督察人员", await page.TextContentAsync($"tr[data-user='{person.Username}'] td:nth-child(5)") ?? "", StringComparison.Ordinal);

        var own = page.Locator("tr[data-user='admin']");
        await own.Locator("summary").ClickAsync();
        await own.Locator("input[name=editRoles][value=DepartmentHead]").CheckAsync();
        await own.Locator("details form >> nth=0 >> button").ClickAsync();
        Assert.Contains("不得为自己授予", await page.TextContentAsync("[data-testid=users-message]") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_turns_on_one_time_codes_on_their_account_page()
    {
        var (page, person) = await factory.SignedInAsync();
        await page.ClickAsync("[data-testid=current-user]");
        await BrowserFactory.ArrivedAsync(page, "**/account");
        await page.ClickAsync("form button.secondary");
        var secret = (await page.TextContentAsync("[data-testid=totp-secret]"))!.Trim();
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(factory.Clock.GetUtcNow().UtcDateTime);
        await page.FillAsync("input[name=code]", code);
        await page.ClickAsync("form button.primary");
        Assert.Equal(1, await page.Locator("[data-testid=totp-enabled]").CountAsync());

        // The next sign-in asks for the code: the next one, as each code works once.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var again = await factory.NewPageAsync();
        await again.GotoAsync("/login");
        await again.FillAsync("input[name=username]", person.Username);
        await again.FillAsync("input[name=password]", person.Password);
        await again.ClickAsync("button[type=submit]");
        await again.FillAsync("input[name=password]", person.Password);
        await again.FillAsync("input[name=totp]", new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(factory.Clock.GetUtcNow().UtcDateTime));
        await again.ClickAsync("button[type=submit]");
        await BrowserFactory.ArrivedAsync(again, "**/workbench");
    }

    [Fact]
    public async Task Administration_pages_are_closed_to_everyone_else()
    {
        var (page, _) = await factory.SignedInAsync(Core.Accounts.Role.DepartmentHead);
        Assert.Equal(0, await page.Locator("nav a[href='/admin/users']").CountAsync());
        var response = await page.GotoAsync("/admin/users");
        Assert.Equal(403, response!.Status);
    }
}
