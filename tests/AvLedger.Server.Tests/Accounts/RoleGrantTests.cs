using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Server.Tests.Auth;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Accounts;

public sealed class RoleGrantTestsOnSqlite(SecondPersonFactory factory) : RoleGrantTests<SecondPersonFactory>(factory);

public sealed class RoleGrantTestsOnPostgres(SecondPersonPostgresFactory factory) : RoleGrantTests<SecondPersonPostgresFactory>(factory);

/// <summary>Separation of duties: a role reaching other people's records, or
/// state-secret clearance, takes effect only once a second person confirms it.</summary>
public abstract class RoleGrantTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    const string SecondAdmin = "admin2";
    const string SecondAdminPassword = "second-admin-pw-2";

    static async Task<string?> CodeAsync(HttpResponseMessage r) =>
        JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;

    static string Camel(Role r) => JsonNamingPolicy.CamelCase.ConvertName(r.ToString());

    /// <summary>A second administrator, put in place the way the first one is (by whoever runs the
    /// server, not through the first administrator's hands).</summary>
    async Task<HttpClient> SecondAdminAsync()
    {
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            if (!await db.Accounts.AnyAsync(a => a.Username == SecondAdmin))
            {
                var admin = new Account { Id = Ids.New(), Username = SecondAdmin, PasswordHash = "", Roles = Role.SystemAdministrator, DisplayName = "第二管理员", CreatedAt = factory.Clock.GetUtcNow() };
                admin.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<Account>>().HashPassword(admin, SecondAdminPassword);
                db.Accounts.Add(admin);
                await db.SaveChangesAsync();
            }
        }
        return factory.ClientWith(await factory.TokenAsync(SecondAdmin, SecondAdminPassword));
    }

    async Task<Account> AccountAsync(string username)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Accounts.AsNoTracking().SingleAsync(a => a.Username == username);
    }

    static async Task<JsonElement?> PendingGrantAsync(HttpClient viewer, string username)
    {
        using var doc = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/role-grants?state=pending"));
        return doc.RootElement.EnumerateArray().Where(g => g.GetProperty("username").GetString() == username).Select(g => (JsonElement?)g.Clone()).SingleOrDefault();
    }

    static async Task<string> PendingGrantIdAsync(HttpClient viewer, string username) =>
        (await PendingGrantAsync(viewer, username))?.GetProperty("id").GetString() ?? throw new InvalidOperationException($"no pending grant for {username}");

    /// <summary>A person with <paramref name="role"/> in force: proposed by the administrator, confirmed by the second administrator.</summary>
    async Task<AvLedgerFactory.Person> ConfirmedAsync(Role role, string? parentUnit = null, AvLedgerFactory.Person? colleagueOf = null)
    {
        var person = colleagueOf is null ? await factory.PersonAsync(role, parentUnit) : await factory.ColleagueAsync(colleagueOf, role);
        using var second = await SecondAdminAsync();
        (await second.PostAsync($"/api/v1/role-grants/{await PendingGrantIdAsync(second, person.Username)}/confirm", null)).EnsureSuccessStatusCode();
        return person;
    }

    async Task<List<(string Action, string? Detail, bool Ledgered)>> EventsAboutAsync(string username)
    {
        var id = (await AccountAsync(username)).Id;
        using var scope = factory.Services.CreateScope();
        var events = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().AuditEvents.AsNoTracking().Where(e => e.SubjectId == id).ToListAsync();
        var leaves = await factory.LedgerLeavesAsync();
        return events.Select(e => (e.Action, e.Detail, leaves.Any(l => l.Contains(e.Id, StringComparison.Ordinal)))).ToList();
    }

    /// <summary>The reported attack: an administrator makes an inspector of the root unit and plays a recording.</summary>
    [Fact]
    public async Task An_administrators_root_unit_inspector_sees_nothing_until_a_second_person_confirms()
    {
        var root = await factory.PersonAsync(Role.Officer);
        var officer = await factory.PersonAsync(Role.Officer, root.UnitCode);
        using var officerClient = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var recordId = (await Tus.UploadAsync(officerClient, await Tus.NewSampleAsync(2))).RecordId!;

        var spy = await factory.ColleagueAsync(root, Role.Inspector);
        using (var asSpy = factory.ClientWith(await factory.TokenAsync(spy.Username, spy.Password)))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await asSpy.GetAsync($"/api/v1/records/{recordId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await asSpy.GetAsync($"/api/v1/records/{recordId}/content")).StatusCode);
            using var list = JsonDocument.Parse(await asSpy.GetStringAsync("/api/v1/records?pageSize=200"));
            Assert.DoesNotContain(list.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == recordId);
        }
        Assert.DoesNotContain(Role.Inspector, Roles.Each((await AccountAsync(spy.Username)).Roles));

        using var second = await SecondAdminAsync();
        var grant = (await PendingGrantAsync(second, spy.Username))!.Value;
        Assert.Equal(["inspector"], grant.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("系统管理员", grant.GetProperty("proposedBy").GetString());
        Assert.True(grant.GetProperty("mayDecide").GetBoolean());
        using var spyBefore = factory.ClientWith(await factory.TokenAsync(spy.Username, spy.Password));
        Assert.Equal(HttpStatusCode.NoContent, (await second.PostAsync($"/api/v1/role-grants/{grant.GetProperty("id").GetString()}/confirm", null)).StatusCode);

        // Confirmed: the old sign-in ends, a new one carries the role.
        Assert.Equal(HttpStatusCode.Unauthorized, (await spyBefore.GetAsync("/api/v1/records")).StatusCode);
        using var inspector = factory.ClientWith(await factory.TokenAsync(spy.Username, spy.Password));
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync($"/api/v1/records/{recordId}/content")).StatusCode);

        var events = await EventsAboutAsync(spy.Username);
        Assert.Contains(events, e => e.Action == AuditActions.GrantProposed && e.Detail == "Inspector");
        Assert.Contains(events, e => e.Action == AuditActions.GrantConfirmed && e.Detail == "Inspector");
        Assert.All(events, e => Assert.True(e.Ledgered, $"{e.Action} has no ledger leaf"));
        using var admin = await factory.AdminAsync();
        using var alerts = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/alerts"));
        var mine = alerts.RootElement.EnumerateArray().Where(a => a.GetProperty("subject").GetString() == spy.Username).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains(AuditActions.GrantProposed, mine);
        Assert.Contains(AuditActions.GrantConfirmed, mine);
    }

    [Fact]
    public async Task The_proposer_cannot_confirm_their_own_proposal_nor_the_person_granted()
    {
        var person = await factory.PersonAsync(Role.Officer);
        using var admin = await factory.AdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{person.Username}", new { roles = new[] { "officer", "legalOfficer" } })).EnsureSuccessStatusCode();
        var id = await PendingGrantIdAsync(admin, person.Username);
        Assert.False((await PendingGrantAsync(admin, person.Username))!.Value.GetProperty("mayDecide").GetBoolean());
        using (var own = await admin.PostAsync($"/api/v1/role-grants/{id}/confirm", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
            Assert.Equal("own-proposal", await CodeAsync(own));
        }
        Assert.Equal(Role.Officer, (await AccountAsync(person.Username)).Roles);

        // The second administrator is themself proposed for clearance: they cannot confirm it.
        using var second = await SecondAdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{SecondAdmin}", new { clearedForStateSecrets = true })).EnsureSuccessStatusCode();
        using (var self = await second.PostAsync($"/api/v1/role-grants/{await PendingGrantIdAsync(admin, SecondAdmin)}/confirm", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
            Assert.Equal("own-grant", await CodeAsync(self));
        }
        Assert.False((await AccountAsync(SecondAdmin)).ClearedForStateSecrets);

        // A head granted a further role cannot confirm it either (it is not theirs to see).
        var head = await ConfirmedAsync(Role.DepartmentHead);
        (await admin.PatchAsJsonAsync($"/api/v1/users/{head.Username}", new { roles = new[] { "departmentHead", "inspector" } })).EnsureSuccessStatusCode();
        using var headClient = factory.ClientWith(await factory.TokenAsync(head.Username, head.Password));
        Assert.Null(await PendingGrantAsync(headClient, head.Username));
        Assert.Equal(HttpStatusCode.NotFound, (await headClient.PostAsync($"/api/v1/role-grants/{await PendingGrantIdAsync(admin, head.Username)}/confirm", null)).StatusCode);
        Assert.Equal(Role.DepartmentHead, (await AccountAsync(head.Username)).Roles);
    }

    [Fact]
    public async Task A_head_of_the_unit_above_may_confirm_and_a_head_of_the_same_or_a_sibling_unit_may_not()
    {
        var headRoot = await ConfirmedAsync(Role.DepartmentHead);
        var officerA = await factory.PersonAsync(Role.Officer, headRoot.UnitCode);
        var headA = await ConfirmedAsync(Role.DepartmentHead, colleagueOf: officerA);
        var headB = await ConfirmedAsync(Role.DepartmentHead, headRoot.UnitCode);
        var inspector = await factory.ColleagueAsync(officerA, Role.Inspector);

        using var admin = await factory.AdminAsync();
        var id = await PendingGrantIdAsync(admin, inspector.Username);
        foreach (var other in new[] { headA, headB })
        {
            using var client = factory.ClientWith(await factory.TokenAsync(other.Username, other.Password));
            Assert.Null(await PendingGrantAsync(client, inspector.Username));
            using var refused = await client.PostAsync($"/api/v1/role-grants/{id}/confirm", null);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("not-found", await CodeAsync(refused));
        }
        Assert.Equal(Role.None, (await AccountAsync(inspector.Username)).Roles);

        using var above = factory.ClientWith(await factory.TokenAsync(headRoot.Username, headRoot.Password));
        var shown = (await PendingGrantAsync(above, inspector.Username))!.Value;
        Assert.Equal(inspector.DisplayName, shown.GetProperty("name").GetString());
        Assert.True(shown.GetProperty("mayDecide").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await above.PostAsync($"/api/v1/role-grants/{id}/confirm", null)).StatusCode);
        Assert.Equal(Role.Inspector, (await AccountAsync(inspector.Username)).Roles);
        using var again = await above.PostAsync($"/api/v1/role-grants/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task State_secret_clearance_waits_for_a_second_person_too()
    {
        var head = await ConfirmedAsync(Role.DepartmentHead);
        var officer = await factory.ColleagueAsync(head, Role.Officer);
        using var officerClient = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        var recordId = (await Tus.UploadAsync(officerClient, await Tus.NewSampleAsync(2))).RecordId!;
        using (var scope = factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.Where(r => r.Id == recordId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Confidentiality, Confidentiality.StateSecret));

        using var admin = await factory.AdminAsync();
        using var changed = await admin.PatchAsJsonAsync($"/api/v1/users/{head.Username}", new { clearedForStateSecrets = true });
        changed.EnsureSuccessStatusCode();
        using (var view = JsonDocument.Parse(await changed.Content.ReadAsStringAsync()))
        {
            Assert.False(view.RootElement.GetProperty("clearedForStateSecrets").GetBoolean());
            Assert.True(view.RootElement.GetProperty("pendingClearance").GetBoolean());
        }
        using (var headClient = factory.ClientWith(await factory.TokenAsync(head.Username, head.Password)))
            Assert.Equal(HttpStatusCode.NotFound, (await headClient.GetAsync($"/api/v1/records/{recordId}")).StatusCode);

        using var second = await SecondAdminAsync();
        (await second.PostAsync($"/api/v1/role-grants/{await PendingGrantIdAsync(second, head.Username)}/confirm", null)).EnsureSuccessStatusCode();
        using var cleared = factory.ClientWith(await factory.TokenAsync(head.Username, head.Password));
        Assert.Equal(HttpStatusCode.OK, (await cleared.GetAsync($"/api/v1/records/{recordId}")).StatusCode);
        Assert.Contains(await EventsAboutAsync(head.Username), e => e.Action == AuditActions.GrantConfirmed && e.Detail == "StateSecretClearance");
    }

    [Fact]
    public async Task A_refusal_leaves_the_roles_as_they_were_and_removing_a_role_is_immediate()
    {
        var person = await factory.PersonAsync(Role.Officer | Role.DeviceCustodian);
        using var admin = await factory.AdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{person.Username}", new { roles = new[] { "officer", "auditor" } })).EnsureSuccessStatusCode();
        // The custodian role went at once; the auditor role waits.
        Assert.Equal(Role.Officer, (await AccountAsync(person.Username)).Roles);

        using var second = await SecondAdminAsync();
        var id = await PendingGrantIdAsync(second, person.Username);
        Assert.Equal(HttpStatusCode.NoContent, (await second.PostAsync($"/api/v1/role-grants/{id}/refuse", null)).StatusCode);
        Assert.Equal(Role.Officer, (await AccountAsync(person.Username)).Roles);
        Assert.Null(await PendingGrantAsync(second, person.Username));
        using var late = await second.PostAsync($"/api/v1/role-grants/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("grant-decided", await CodeAsync(late));
        Assert.Equal(Role.Officer, (await AccountAsync(person.Username)).Roles);
        Assert.Contains(await EventsAboutAsync(person.Username), e => e.Action == AuditActions.GrantRefused && e.Detail == "Auditor" && e.Ledgered);
    }

    [Fact]
    public async Task An_imported_account_with_a_reaching_role_waits_for_confirmation()
    {
        var unit = await factory.PersonAsync(Role.Officer);
        using var admin = await factory.AdminAsync();
        using var imported = await admin.PostAsync("/api/v1/users/import", new StringContent(
            $"username,password,badge,name,unitCode,roles\nimported-legal,import-pass-12,880001,导入法制员,{unit.UnitCode},officer;legalOfficer\n", Encoding.UTF8, "text/csv"));
        imported.EnsureSuccessStatusCode();
        Assert.Equal(Role.None, (await AccountAsync("imported-legal")).Roles & Role.LegalOfficer);
        var grant = (await PendingGrantAsync(admin, "imported-legal"))!.Value;
        Assert.Equal(["legalOfficer"], grant.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_new_administrator_waits_for_another_one_so_no_administrator_can_confirm_through_a_puppet()
    {
        using var admin = await factory.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/users", new { username = "puppet", password = "initial-pass-12", name = "傀儡", roles = new[] { "systemAdministrator" } })).EnsureSuccessStatusCode();
        Assert.Equal(Role.None, (await AccountAsync("puppet")).Roles);
        Assert.NotNull(await PendingGrantAsync(admin, "puppet"));
    }

    [Fact]
    public async Task Moving_a_head_to_another_unit_needs_the_role_confirmed_again_there()
    {
        var headRoot = await ConfirmedAsync(Role.DepartmentHead);
        var headA = await ConfirmedAsync(Role.DepartmentHead, headRoot.UnitCode);
        using var admin = await factory.AdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{headA.Username}", new { unitCode = headRoot.UnitCode })).EnsureSuccessStatusCode();
        Assert.Equal(Role.None, (await AccountAsync(headA.Username)).Roles);
        var grant = (await PendingGrantAsync(admin, headA.Username))!.Value;
        Assert.Equal(["departmentHead"], grant.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Healthz_says_nothing_more_than_ok_and_the_users_page_explains_the_rule()
    {
        using var anonymous = factory.CreateClient();
        Assert.Equal("ok", await anonymous.GetStringAsync("/healthz"));
        var person = await factory.PersonAsync(Role.Officer);
        using var admin = await factory.AdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{person.Username}", new { roles = new[] { "officer", "inspector" } })).EnsureSuccessStatusCode();

        using var browser = new CookieBrowser(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        (await browser.PostFormAsync("/login", new() { ["username"] = "admin", ["password"] = AvLedgerFactory.AdminPassword })).Dispose();
        using var page = await browser.GetAsync("/admin/users");
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("data-testid=\"single-administrator\"", html, StringComparison.Ordinal);
        int start = html.IndexOf("data-testid=\"role-grants\"", StringComparison.Ordinal), end = html.IndexOf("data-testid=\"users\"", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{(int)page.StatusCode}: {html}");
        var panel = html[start..end];
        Assert.Contains("待确认的角色授权", panel, StringComparison.Ordinal);
        Assert.Contains(person.DisplayName, panel, StringComparison.Ordinal);
        Assert.Contains("须由另一人确认", panel, StringComparison.Ordinal);
        Assert.Contains("待确认：督察人员", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_of_the_unit_above_confirms_on_the_role_grants_page()
    {
        var headRoot = await ConfirmedAsync(Role.DepartmentHead);
        var auditor = await factory.PersonAsync(Role.Auditor, headRoot.UnitCode);
        using var browser = new CookieBrowser(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        (await browser.PostFormAsync("/login", new() { ["username"] = headRoot.Username, ["password"] = headRoot.Password })).Dispose();
        using (var shown = await browser.GetAsync("/role-grants"))
        {
            var html = await shown.Content.ReadAsStringAsync();
            Assert.Contains(auditor.DisplayName, html, StringComparison.Ordinal);
            Assert.Contains("审计员", html, StringComparison.Ordinal);
            Assert.Contains("确认授予", html, StringComparison.Ordinal);
        }
        // The first form on the page is the only grant's confirmation.
        using var confirmed = await browser.PostFormAsync("/role-grants", []);
        Assert.Contains("已确认", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Role.Auditor, (await AccountAsync(auditor.Username)).Roles);
    }
}

public sealed class SingleAdministratorTestsOnSqlite(SqliteFactory factory) : SingleAdministratorTests<SqliteFactory>(factory);

public sealed class SingleAdministratorTestsOnPostgres(PostgresFactory factory) : SingleAdministratorTests<PostgresFactory>(factory);

/// <summary>AvLedger:SingleAdministrator: one administrator grants alone, and says so everywhere it matters.</summary>
public abstract class SingleAdministratorTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    [Fact]
    public async Task Grants_apply_at_once_are_audited_as_made_alone_and_healthz_and_the_users_page_say_so()
    {
        var person = await factory.PersonAsync(Role.Inspector);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Username == person.Username);
            Assert.Equal(Role.Inspector, account.Roles);
            Assert.Contains(await db.AuditEvents.AsNoTracking().Where(e => e.SubjectId == account.Id).Select(e => new { e.Action, e.Detail }).ToListAsync(),
                e => e.Action == AuditActions.AccountCreated && e.Detail == "Inspector;singleAdministrator");
        }

        using var anonymous = factory.CreateClient();
        var health = (await anonymous.GetStringAsync("/healthz")).Split('\n');
        Assert.Equal("ok", health[0]);
        Assert.Contains("singleAdministrator: true", health);

        using var browser = new CookieBrowser(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        (await browser.PostFormAsync("/login", new() { ["username"] = "admin", ["password"] = AvLedgerFactory.AdminPassword })).Dispose();
        using var page = await browser.GetAsync("/admin/users");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"single-administrator\"", html, StringComparison.Ordinal);
        Assert.Contains("单一管理员模式已开启", html, StringComparison.Ordinal);
    }
}
