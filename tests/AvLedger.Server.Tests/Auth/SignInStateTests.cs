using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using OtpNet;

namespace AvLedger.Server.Tests.Auth;

public sealed class SignInStateTestsOnSqlite(SqliteFactory factory) : SignInStateTests<SqliteFactory>(factory);

public sealed class SignInStateTestsOnPostgres(PostgresFactory factory) : SignInStateTests<PostgresFactory>(factory);

/// <summary>Sign-in state belongs to the server: what a token or cookie said when it was issued
/// counts for nothing once the account's password, roles, factor or sign-out say otherwise.</summary>
public abstract class SignInStateTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    static async Task<string?> CodeOfAsync(HttpResponseMessage r) =>
        (await JsonAsync(r)).TryGetProperty("code", out var c) ? c.GetString() : null;

    string Totp(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(factory.Clock.GetUtcNow().UtcDateTime);

    async Task<HttpResponseMessage> TokenResponseAsync(string username, string password, string? totp = null)
    {
        using var anonymous = factory.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username, password, totp });
    }

    CookieBrowser NewBrowser() => new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

    /// <summary>Signs in through the web login form, as a person would.</summary>
    async Task<CookieBrowser> WebAsync(AvLedgerFactory.Person person)
    {
        var browser = NewBrowser();
        using var posted = await browser.PostFormAsync("/login", new() { ["username"] = person.Username, ["password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.True(browser.Cookies.ContainsKey("avledger.session"));
        return browser;
    }

    static bool SetsSessionCookie(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("avledger.session=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));

    async Task<string> EnrolAsync(AvLedgerFactory.Person person)
    {
        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        using var started = await client.PostAsync("/api/v1/auth/totp", null);
        var secret = (await JsonAsync(started)).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/totp/confirm", new { code = Totp(secret) })).StatusCode);
        // The next code: each is accepted once, and the confirming one is used up.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        return secret;
    }

    [Fact]
    public async Task A_bearer_token_stops_working_when_the_password_is_changed()
    {
        var person = await factory.PersonAsync();
        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/records")).StatusCode);
        using var anonymous = factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/password", new { username = person.Username, currentPassword = person.Password, newPassword = "changed-password-9" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/records")).StatusCode);
    }

    [Fact]
    public async Task A_demoted_administrator_loses_administration_at_once()
    {
        var deputy = await factory.PersonAsync(Role.SystemAdministrator);
        using var asDeputy = factory.ClientWith(await factory.TokenAsync(deputy.Username, deputy.Password));
        Assert.Equal(HttpStatusCode.OK, (await asDeputy.GetAsync("/api/v1/users")).StatusCode);
        using var admin = await factory.AdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{deputy.Username}", new { roles = new[] { "auditor" } })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await asDeputy.GetAsync("/api/v1/users")).StatusCode);
        using var fresh = factory.ClientWith(await factory.TokenAsync(deputy.Username, deputy.Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await fresh.GetAsync("/api/v1/users")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_cookie_everywhere_including_a_copy()
    {
        var person = await factory.PersonAsync();
        using var browser = await WebAsync(person);
        using var thief = NewBrowser();
        thief.Cookies["avledger.session"] = browser.Cookies["avledger.session"];
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/v1/records")).StatusCode);

        using var logout = await browser.PostFormAsync("/account", [], action: "/logout");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/v1/records")).StatusCode);
    }

    [Fact]
    public async Task An_administrators_password_reset_ends_the_persons_cookie()
    {
        var person = await factory.PersonAsync();
        using var browser = await WebAsync(person);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/records")).StatusCode);
        using var admin = await factory.AdminAsync();
        (await admin.PostAsJsonAsync($"/api/v1/users/{person.Username}/password", new { password = "reset-password-77" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/records")).StatusCode);
    }

    [Fact]
    public async Task The_password_page_signs_nobody_in_and_asks_for_the_code_when_enrolled()
    {
        var person = await factory.PersonAsync();
        var secret = await EnrolAsync(person);
        using var browser = NewBrowser();
        var change = new Dictionary<string, string>
        {
            ["username"] = person.Username, ["currentPassword"] = person.Password, ["newPassword"] = "changed-password-8", ["confirmPassword"] = "changed-password-8",
        };
        using var withoutCode = await browser.PostFormAsync("/password", change);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.False(SetsSessionCookie(withoutCode));
        Assert.Contains("name=\"totp\"", await withoutCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/records")).StatusCode);

        using var withCode = await browser.PostFormAsync("/password", new(change) { ["totp"] = Totp(secret) });
        Assert.Equal(HttpStatusCode.Redirect, withCode.StatusCode);
        Assert.Contains("/login?changed=true", withCode.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.False(SetsSessionCookie(withCode));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/records")).StatusCode);
    }

    [Fact]
    public async Task Replacing_the_second_factor_needs_a_current_code()
    {
        var person = await factory.PersonAsync();
        var secret = await EnrolAsync(person);
        using var tokenResponse = await TokenResponseAsync(person.Username, person.Password, Totp(secret));
        using var client = factory.ClientWith((await JsonAsync(tokenResponse)).GetProperty("accessToken").GetString()!);
        factory.Clock.Advance(TimeSpan.FromSeconds(30));

        using var withoutCode = await client.PostAsync("/api/v1/auth/totp", null);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Equal("totp-required", await CodeOfAsync(withoutCode));
        using var withCode = await client.PostAsJsonAsync("/api/v1/auth/totp", new { code = Totp(secret) });
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
    }

    [Fact]
    public async Task A_one_time_code_signs_in_once()
    {
        var person = await factory.PersonAsync();
        var secret = await EnrolAsync(person);
        var code = Totp(secret);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var r = await TokenResponseAsync(person.Username, person.Password, code);
            answers.Add(r.StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], answers);
    }

    [Fact]
    public async Task Parallel_wrong_passwords_cannot_outrun_the_lockout()
    {
        var person = await factory.PersonAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            using var r = await TokenResponseAsync(person.Username, "wrong-password-0");
            return await CodeOfAsync(r);
        }));
        Assert.Equal(4, answers.Count(a => a == "bad-credentials"));
        Assert.Equal(20, answers.Count(a => a == "account-locked"));
        using var right = await TokenResponseAsync(person.Username, person.Password);
        Assert.Equal("account-locked", await CodeOfAsync(right));
    }

    [Fact]
    public async Task An_unknown_username_locks_exactly_like_a_real_one()
    {
        var person = await factory.PersonAsync();
        async Task<List<(HttpStatusCode, string?)>> FiveWrongAsync(string username)
        {
            var answers = new List<(HttpStatusCode, string?)>();
            for (var i = 0; i < 6; i++)
            {
                using var r = await TokenResponseAsync(username, "wrong-password-0");
                answers.Add((r.StatusCode, await CodeOfAsync(r)));
            }
            return answers;
        }
        var real = await FiveWrongAsync(person.Username);
        var unknown = await FiveWrongAsync("nobody-" + person.Username);
        Assert.Equal(real, unknown);
        Assert.Equal((HttpStatusCode.Forbidden, "account-locked"), unknown[^1]);
    }

}
