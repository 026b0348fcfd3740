using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Access;

public sealed class ProvisionTestsOnSqlite(SqliteFactory factory) : ProvisionTests<SqliteFactory>(factory);

public sealed class ProvisionTestsOnPostgres(PostgresFactory factory) : ProvisionTests<PostgresFactory>(factory);

/// <summary>Art. 17: external provision only with the owning unit's head's written approval,
/// consulting the superior for major, complex or sensitive matters.</summary>
public abstract class ProvisionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    async Task<(string RecordId, AvLedgerFactory.Person Legal, AvLedgerFactory.Person Head, AvLedgerFactory.Person Superior)> WorldAsync()
    {
        var superior = await factory.PersonAsync(Role.DepartmentHead);
        var officer = await factory.PersonAsync(Role.Officer, superior.UnitCode);
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var client = await factory.ClientAsync(officer);
        return ((await Tus.UploadAsync(client, await Tus.NewSampleAsync(1))).RecordId!, legal, head, superior);
    }

    async Task<string> ProvideAsync(HttpClient client, string recordId, bool sensitive)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/provisions", new
        {
            recipientOrganisation = "重庆市渝中区人民法院", recipientPerson = "王书记员", purpose = "行政诉讼举证", legalBasis = "《行政诉讼法》第三十四条",
            recordIds = new[] { recordId }, sensitive,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    async Task<bool> ProvidableAsync(AvLedgerFactory.Person person, string recordId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var account = await db.Accounts.SingleAsync(a => a.Username == person.Username);
        return await db.Records.ProvidableBy(account, factory.Clock.GetUtcNow()).AnyAsync(r => r.Id == recordId);
    }

    [Fact]
    public async Task A_sensitive_provision_proposes_consulting_the_superior_whose_opinion_is_recorded_before_approval()
    {
        var (id, legal, head, superior) = await WorldAsync();
        using var requester = await factory.ClientAsync(legal);
        var provisionId = await ProvideAsync(requester, id, sensitive: true);
        using var approver = await factory.ClientAsync(head);
        using var direct = await approver.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意提供", password = head.Password });
        Assert.Equal("consultation-proposed", (await JsonAsync(direct)).GetProperty("code").GetString());

        using var consult = await approver.PostAsync($"/api/v1/provisions/{provisionId}/consult", null);
        Assert.Equal(HttpStatusCode.OK, consult.StatusCode);
        Assert.Equal(superior.UnitCode, (await JsonAsync(consult)).GetProperty("unitCode").GetString());
        using var waiting = await approver.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意提供", password = head.Password });
        Assert.Equal("consultation-pending", (await JsonAsync(waiting)).GetProperty("code").GetString());

        using var above = await factory.ClientAsync(superior);
        Assert.Equal(HttpStatusCode.NoContent, (await above.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/consultation", new { opinion = "可以提供，注意隐私处理", password = superior.Password })).StatusCode);
        using var approved = await approver.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意提供", password = head.Password });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var leaves = (await factory.LedgerLeavesAsync()).Where(l => l.Contains(provisionId, StringComparison.Ordinal)).ToList();
        Assert.Contains(leaves, l => l.Contains("\"provision.consulted\"", StringComparison.Ordinal) && !l.Contains("隐私", StringComparison.Ordinal));
        Assert.Contains(leaves, l => l.Contains("\"access.approved\"", StringComparison.Ordinal) && l.Contains("\"consultant\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approved_provision_opens_the_export_of_its_records_and_nothing_else()
    {
        var (id, legal, head, _) = await WorldAsync();
        Assert.False(await ProvidableAsync(legal, id));
        using var requester = await factory.ClientAsync(legal);
        var provisionId = await ProvideAsync(requester, id, sensitive: false);
        using var approver = await factory.ClientAsync(head);
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意", password = head.Password })).StatusCode);
        Assert.True(await ProvidableAsync(legal, id));

        var outsider = await factory.PersonAsync(Role.LegalOfficer);
        using var other = await factory.ClientAsync(outsider);
        var theirs = await ProvideAsync(other, id, sensitive: false);
        (await approver.PostAsJsonAsync($"/api/v1/provisions/{theirs}/approve", new { opinion = "同意", password = head.Password })).EnsureSuccessStatusCode();
        Assert.True(await ProvidableAsync(outsider, id));
        // Approval to provide is not permission to watch or copy here.
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/records/{id}/download")).StatusCode);
    }

    [Fact]
    public async Task A_provision_is_decided_only_at_its_own_endpoint_and_needs_its_facts()
    {
        var (id, legal, head, _) = await WorldAsync();
        using var requester = await factory.ClientAsync(legal);
        var provisionId = await ProvideAsync(requester, id, sensitive: false);
        using var approver = await factory.ClientAsync(head);
        Assert.Equal(HttpStatusCode.NotFound, (await approver.PostAsJsonAsync($"/api/v1/access-requests/{provisionId}/approve", new { opinion = "同意", password = head.Password })).StatusCode);
        using var bare = await requester.PostAsJsonAsync("/api/v1/provisions", new { recipientOrganisation = "某单位", recordIds = new[] { id } });
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
    }
}
