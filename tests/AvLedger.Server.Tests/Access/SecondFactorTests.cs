using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace AvLedger.Server.Tests.Access;

public sealed class SecondFactorTestsOnSqlite(SqliteFactory factory) : SecondFactorTests<SqliteFactory>(factory);

public sealed class SecondFactorTestsOnPostgres(PostgresFactory factory) : SecondFactorTests<PostgresFactory>(factory);

public abstract class SecondFactorTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    string Code(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(factory.Clock.GetUtcNow().UtcDateTime);

    async Task<string> EnrolAsync(AvLedgerFactory.Person person)
    {
        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        using var started = await client.PostAsync("/api/v1/auth/totp", null);
        var secret = (await JsonAsync(started)).GetProperty("secret").GetString()!;
        Assert.StartsWith("otpauth://totp/AvLedger:", (await JsonAsync(started)).GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal("totp-invalid", (await JsonAsync(await client.PostAsJsonAsync("/api/v1/auth/totp/confirm", new { code = "12345x" }))).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/totp/confirm", new { code = Code(secret) })).StatusCode);
        // Each code works once, the confirming one included: the next sign-in uses the next.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        return secret;
    }

    async Task<HttpResponseMessage> TokenAsync(AvLedgerFactory.Person p, string? totp)
    {
        using var anonymous = factory.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = p.Username, password = p.Password, totp });
    }

    [Fact]
    public async Task With_a_second_factor_signing_in_needs_the_current_code_and_wrong_codes_lock_the_account()
    {
        var person = await factory.PersonAsync();
        var secret = await EnrolAsync(person);
        Assert.Equal("totp-required", (await JsonAsync(await TokenAsync(person, null))).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(person, Code(secret))).StatusCode);
        var wrong = Code(secret) == "000000" ? "111111" : "000000";
        for (var i = 0; i < 4; i++) Assert.Equal("bad-credentials", (await JsonAsync(await TokenAsync(person, wrong))).GetProperty("code").GetString());
        Assert.Equal("account-locked", (await JsonAsync(await TokenAsync(person, wrong))).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_head_with_a_second_factor_confirms_approvals_with_the_code_not_the_password()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var secret = await EnrolAsync(head);
        using var own = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1))).RecordId!;
        var requester = await factory.PersonAsync();
        using var req = factory.ClientWith(await factory.TokenAsync(requester.Username, requester.Password));
        using var created = await req.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "核查", days = 1, recordIds = new[] { id } });
        var requestId = (await JsonAsync(created)).GetProperty("id").GetString();

        using var token = await TokenAsync(head, Code(secret));
        using var approver = factory.ClientWith((await JsonAsync(token)).GetProperty("accessToken").GetString()!);
        using var byPassword = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意", password = head.Password });
        Assert.Equal("confirmation-failed", (await JsonAsync(byPassword)).GetProperty("code").GetString());
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        using var byCode = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意", totp = Code(secret) });
        Assert.Equal(HttpStatusCode.OK, byCode.StatusCode);
        using var scope = factory.Services.CreateScope();
        Assert.Equal("totp", await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().AccessDecisions.Where(d => d.RequestId == requestId).Select(d => d.ConfirmedBy).SingleAsync());
    }

    [Fact]
    public async Task The_secret_is_not_stored_in_the_clear()
    {
        var person = await factory.PersonAsync();
        var secret = await EnrolAsync(person);
        using var scope = factory.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Accounts.Where(a => a.Username == person.Username).Select(a => a.TotpSecret).SingleAsync();
        Assert.NotNull(stored);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
    }
}
