using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Auth;

public sealed class LockoutTestsOnSqlite(SqliteFactory factory) : LockoutTests<SqliteFactory>(factory);

public sealed class LockoutTestsOnPostgres(PostgresFactory factory) : LockoutTests<PostgresFactory>(factory);

public abstract class LockoutTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    async Task<HttpResponseMessage> SignInAsync(string username, string password)
    {
        using var client = factory.CreateClient();
        return await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password });
    }

    static async Task<string> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_right_one_is_refused_until_the_lock_ends()
    {
        var person = await factory.PersonAsync();
        for (var i = 0; i < 4; i++)
            Assert.Equal("bad-credentials", await CodeAsync(await SignInAsync(person.Username, "wrong")));
        using var locked = await SignInAsync(person.Username, "wrong");
        Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
        Assert.Equal("account-locked", await CodeAsync(locked));
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        using var rightButLocked = await SignInAsync(person.Username, person.Password);
        Assert.Equal("account-locked", await CodeAsync(rightButLocked));

        factory.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        using var after = await SignInAsync(person.Username, person.Password);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_successful_sign_in_clears_earlier_failures()
    {
        var person = await factory.PersonAsync();
        for (var i = 0; i < 4; i++) await SignInAsync(person.Username, "wrong");
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(person.Username, person.Password)).StatusCode);
        for (var i = 0; i < 4; i++) await SignInAsync(person.Username, "wrong");
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(person.Username, person.Password)).StatusCode);
    }

    [Fact]
    public async Task Unknown_usernames_are_answered_like_wrong_passwords()
    {
        using var response = await SignInAsync("nobody-by-this-name", "whatever");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("bad-credentials", await CodeAsync(response));
    }
}
