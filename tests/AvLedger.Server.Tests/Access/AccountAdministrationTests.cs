using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Access;

public sealed class AccountAdministrationTestsOnSqlite(SqliteFactory factory) : AccountAdministrationTests<SqliteFactory>(factory);

public sealed class AccountAdministrationTestsOnPostgres(PostgresFactory factory) : AccountAdministrationTests<PostgresFactory>(factory);

public abstract class AccountAdministrationTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static async Task<string> CodeAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;

    async Task<List<AuditEventCheck>> AdministrationEventsAsync(string subjectId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectId == subjectId).ToListAsync();
        var leaves = await factory.LedgerLeavesAsync();
        return events.Select(e => new AuditEventCheck(e.Action, e.Detail, leaves.Any(l => l.Contains(e.Id, StringComparison.Ordinal)))).ToList();
    }

    sealed record AuditEventCheck(string Action, string? Detail, bool Ledgered);

    async Task<string> IdOfAsync(string username)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Accounts.Where(a => a.Username == username).Select(a => a.Id).SingleAsync();
    }

    [Fact]
    public async Task A_new_account_must_change_the_administrator_set_password_before_signing_in()
    {
        using var admin = await factory.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/units", new { code = "PW-U", name = "改密中队" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/users", new { username = "newcomer", password = "set-by-admin-1", name = "新人", badge = "700001", unitCode = "PW-U", roles = new[] { "officer" } })).EnsureSuccessStatusCode();
        using var anonymous = factory.CreateClient();
        using var first = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = "newcomer", password = "set-by-admin-1" });
        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        Assert.Equal("password-change-required", await CodeAsync(first));

        using var weak = await anonymous.PostAsJsonAsync("/api/v1/auth/password", new { username = "newcomer", currentPassword = "set-by-admin-1", newPassword = "short" });
        Assert.Equal("password-weak", await CodeAsync(weak));
        using var changed = await anonymous.PostAsJsonAsync("/api/v1/auth/password", new { username = "newcomer", currentPassword = "set-by-admin-1", newPassword = "my-own-secret-2" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = "newcomer", password = "my-own-secret-2" })).StatusCode);
    }

    [Fact]
    public async Task Role_grants_resets_and_disablements_are_ledgered_and_on_the_alert_list()
    {
        var person = await factory.PersonAsync();
        using var admin = await factory.AdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{person.Username}", new { roles = new[] { "officer", "inspector" } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/users/{person.Username}/password", new { password = "reset-by-admin-9" })).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/v1/users/{person.Username}/disable", null)).EnsureSuccessStatusCode();

        var events = await AdministrationEventsAsync(await IdOfAsync(person.Username));
        Assert.Contains(events, e => e.Action == AuditActions.AccountCreated && e.Detail == "Officer");
        // The test server runs with a single administrator: the event says the inspector's role was granted alone.
        Assert.Contains(events, e => e.Action == AuditActions.RolesChanged && e.Detail == "Officer,Inspector;singleAdministrator");
        Assert.Contains(events, e => e.Action == AuditActions.PasswordReset);
        Assert.Contains(events, e => e.Action == AuditActions.AccountDisabled);
        Assert.All(events, e => Assert.True(e.Ledgered, $"{e.Action} has no ledger leaf"));

        using var alerts = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/alerts"));
        var mine = alerts.RootElement.EnumerateArray().Where(a => a.GetProperty("subject").GetString() == person.Username).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains(AuditActions.RolesChanged, mine);
        Assert.Contains(AuditActions.AccountDisabled, mine);
    }

    [Fact]
    public async Task A_disabled_accounts_token_stops_working_at_once()
    {
        var person = await factory.PersonAsync();
        using var client = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/records")).StatusCode);
        using var admin = await factory.AdminAsync();
        (await admin.PostAsync($"/api/v1/users/{person.Username}/disable", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/records")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_cannot_grant_themselves_content_roles_and_the_attempt_is_audited()
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.PatchAsJsonAsync("/api/v1/users/admin", new { roles = new[] { "systemAdministrator", "departmentHead" } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("self-grant-refused", await CodeAsync(response));
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            Assert.Equal(Role.SystemAdministrator, (await db.Accounts.SingleAsync(a => a.Username == "admin")).Roles);
        }
        var events = await AdministrationEventsAsync(await IdOfAsync("admin"));
        Assert.Contains(events, e => e.Action == AuditActions.SelfGrantRefused && e.Detail == "DepartmentHead" && e.Ledgered);
    }

    [Fact]
    public async Task Units_form_a_tree_with_several_roots_and_list_their_heads()
    {
        using var admin = await factory.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/units", new { code = "TREE-ROOT-A", name = "甲总队" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/units", new { code = "TREE-ROOT-B", name = "乙区执法局" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/units", new { code = "TREE-A-1", name = "甲一支队", parentCode = "TREE-ROOT-A" })).EnsureSuccessStatusCode();
        using var unknownParent = await admin.PostAsJsonAsync("/api/v1/units", new { code = "TREE-X", name = "无主", parentCode = "NOPE" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownParent.StatusCode);
        (await admin.PostAsJsonAsync("/api/v1/users", new { username = "tree-head", password = "initial-pass-7", name = "支队长", unitCode = "TREE-A-1", roles = new[] { "departmentHead" } })).EnsureSuccessStatusCode();

        using var units = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/units"));
        var child = units.RootElement.EnumerateArray().Single(u => u.GetProperty("code").GetString() == "TREE-A-1");
        Assert.Equal("TREE-ROOT-A", child.GetProperty("parentCode").GetString());
        Assert.Equal(1, child.GetProperty("depth").GetInt32());
        Assert.Equal(["tree-head"], child.GetProperty("heads").EnumerateArray().Select(h => h.GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Null, units.RootElement.EnumerateArray().Single(u => u.GetProperty("code").GetString() == "TREE-ROOT-B").GetProperty("parentCode").ValueKind);
    }

    [Fact]
    public async Task Directory_endpoints_are_for_system_administrators_only()
    {
        var head = await factory.PersonAsync(Role.DepartmentHead);
        using var client = factory.ClientWith(await factory.TokenAsync(head.Username, head.Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/units", new { code = "X1", name = "x" })).StatusCode);
    }
}
