using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AvLedger.Server.Tests.Auth;

/// <summary>Access tokens are short-lived and refreshed once each; a sign-in has an absolute end.</summary>
public sealed class SignInLifetimeTests(ShippedLifetimesFactory factory) : IClassFixture<ShippedLifetimesFactory>
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    async Task<(string Access, string Refresh)> SignInAsync(AvLedgerFactory.Person person)
    {
        using var anonymous = factory.CreateClient();
        using var r = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = person.Username, password = person.Password });
        var json = await JsonAsync(r);
        return (json.GetProperty("accessToken").GetString()!, json.GetProperty("refreshToken").GetString()!);
    }

    async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
    {
        using var anonymous = factory.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
    }

    [Fact]
    public async Task An_access_token_lasts_fifteen_minutes_and_a_refresh_token_gets_the_next_once()
    {
        var person = await factory.PersonAsync();
        var (access, refresh) = await SignInAsync(person);
        using var first = factory.ClientWith(access);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/records")).StatusCode);
        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/v1/records")).StatusCode);

        using var refreshed = await RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var second = factory.ClientWith((await JsonAsync(refreshed)).GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/records")).StatusCode);

        // The same refresh token again was copied: refused, and the sign-in it belonged to ends.
        using var replayed = await RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal("refresh-invalid", (await JsonAsync(replayed)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/v1/records")).StatusCode);
    }

    [Fact]
    public async Task A_password_change_revokes_the_refresh_token()
    {
        var person = await factory.PersonAsync();
        var (_, refresh) = await SignInAsync(person);
        using var anonymous = factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/password", new { username = person.Username, currentPassword = person.Password, newPassword = "changed-password-7" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(refresh)).StatusCode);
    }

    [Fact]
    public async Task A_web_sign_in_ends_eight_hours_after_it_began_however_busy()
    {
        var person = await factory.PersonAsync();
        using var browser = new CookieBrowser(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        using var posted = await browser.PostFormAsync("/login", new() { ["username"] = person.Username, ["password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        for (var hour = 1; hour <= 7; hour++)
        {
            factory.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/records")).StatusCode);
        }
        factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/records")).StatusCode);
    }
}

/// <summary>Sign-in budgets per client (the proxy's forwarded address only from a configured proxy) and per username.</summary>
public sealed class SignInLimitTests(SignInLimitFactory factory) : IClassFixture<SignInLimitFactory>
{
    /// <summary>A token request as it arrives over TCP from <paramref name="peer"/>, with the proxy header if given.</summary>
    async Task<int> TokenFromAsync(string peer, string username, string? forwardedFor = null)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            c.Request.Method = "POST";
            c.Request.Path = "/api/v1/auth/token";
            c.Request.ContentType = "application/json";
            if (forwardedFor is not null) c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            var body = JsonSerializer.SerializeToUtf8Bytes(new { username, password = "wrong-password-0" });
            c.Request.ContentLength = body.Length;
            c.Request.Body = new MemoryStream(body);
            // TestServer says a hand-built request has no body unless told otherwise; Kestrel would say it has.
            c.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>(new HasBody());
        });
        return context.Response.StatusCode;
    }

    sealed class HasBody : Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    [Fact]
    public async Task Clients_behind_a_trusted_proxy_each_have_their_own_budget()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(401, await TokenFromAsync(SignInLimitFactory.Proxy, $"proxied-a{i}", "203.0.113.1"));
        Assert.Equal(429, await TokenFromAsync(SignInLimitFactory.Proxy, "proxied-a3", "203.0.113.1"));
        Assert.Equal(401, await TokenFromAsync(SignInLimitFactory.Proxy, "proxied-b0", "203.0.113.2"));
    }

    [Fact]
    public async Task A_forwarded_address_from_anyone_but_the_proxy_is_ignored()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(401, await TokenFromAsync("198.51.100.7", $"spoofer-{i}", $"203.0.113.{100 + i}"));
        Assert.Equal(429, await TokenFromAsync("198.51.100.7", "spoofer-3", "203.0.113.103"));
    }

    [Fact]
    public async Task One_username_has_one_budget_whichever_clients_try_it()
    {
        var answers = new List<int>();
        for (var i = 1; i <= 7; i++) answers.Add(await TokenFromAsync($"192.0.2.{i}", "target-user"));
        // Four wrong passwords, the lock, then the username's budget of six is spent.
        Assert.Equal([401, 401, 401, 401, 403, 403, 429], answers);
    }
}
