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

public sealed class ScopeTestsOnSqlite(SqliteFactory factory) : ScopeTests<SqliteFactory>(factory);

public sealed class ScopeTestsOnPostgres(PostgresFactory factory) : ScopeTests<PostgresFactory>(factory);

/// <summary>Art. 17 scope: who sees a record's metadata, who plays it, who copies it.</summary>
public abstract class ScopeTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    async Task<(AvLedgerFactory.Person Officer, string RecordId)> RecordedAsync(string? parentUnit = null)
    {
        var officer = await factory.PersonAsync(Role.Officer, parentUnit);
        using var client = await factory.ClientAsync(officer);
        var status = await Tus.UploadAsync(client, await Tus.NewSampleAsync(2));
        Assert.Equal("stored", status.State);
        // Proofs are answered once the ledger has sequenced the record.
        await factory.WorkersIdleAsync();
        return (officer, status.RecordId!);
    }

    static async Task<bool> SeesAsync(HttpClient client, string id, string what = "")
    {
        using var response = await client.GetAsync($"/api/v1/records/{id}{what}");
        return response.StatusCode switch
        {
            HttpStatusCode.OK or HttpStatusCode.PartialContent => true,
            HttpStatusCode.NotFound => false,
            var other => throw new InvalidOperationException($"{what}: unexpected {other}"),
        };
    }

    static async Task<bool> FindsAsync(HttpClient client, string id)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/api/v1/records?pageSize=200"));
        return doc.RootElement.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task An_officer_cannot_see_another_officers_record_on_any_path()
    {
        var (_, id) = await RecordedAsync();
        var other = await factory.PersonAsync();
        using var client = await factory.ClientAsync(other);
        Assert.False(await FindsAsync(client, id));
        foreach (var path in new[] { "", "/content", "/download", "/thumbnail", "/proof" })
            Assert.False(await SeesAsync(client, id, path), $"{path} answered");
    }

    [Fact]
    public async Task A_superior_units_head_sees_and_plays_a_subordinate_units_record()
    {
        var top = await factory.PersonAsync(Role.DepartmentHead);
        var (_, id) = await RecordedAsync(parentUnit: top.UnitCode);
        using var head = await factory.ClientAsync(top);
        Assert.True(await FindsAsync(head, id));
        Assert.True(await SeesAsync(head, id, "/content"));
        Assert.True(await SeesAsync(head, id, "/download"));
    }

    [Fact]
    public async Task A_head_of_another_branch_sees_nothing()
    {
        var top = await factory.PersonAsync(Role.DepartmentHead);
        var (_, id) = await RecordedAsync(parentUnit: top.UnitCode);
        var sibling = await factory.PersonAsync(Role.DepartmentHead, parentUnit: top.UnitCode);
        using var client = await factory.ClientAsync(sibling);
        Assert.False(await FindsAsync(client, id));
        Assert.False(await SeesAsync(client, id));
    }

    [Fact]
    public async Task An_auditor_reads_metadata_in_the_subtree_but_no_content()
    {
        var auditor = await factory.PersonAsync(Role.Auditor);
        var (_, id) = await RecordedAsync(parentUnit: auditor.UnitCode);
        using var client = await factory.ClientAsync(auditor);
        Assert.True(await SeesAsync(client, id));
        Assert.True(await SeesAsync(client, id, "/proof"));
        Assert.False(await SeesAsync(client, id, "/content"));
        Assert.False(await SeesAsync(client, id, "/thumbnail"));
        Assert.False(await SeesAsync(client, id, "/download"));
    }

    [Fact]
    public async Task A_system_administrator_sees_no_records()
    {
        var (_, id) = await RecordedAsync();
        using var admin = await factory.AdminAsync();
        Assert.False(await FindsAsync(admin, id));
        Assert.False(await SeesAsync(admin, id));
        Assert.False(await SeesAsync(admin, id, "/content"));
    }

    [Fact]
    public async Task An_officer_uploads_only_under_their_own_badge()
    {
        var officer = await factory.PersonAsync();
        var other = await factory.PersonAsync();
        using var client = await factory.ClientAsync(officer);
        var file = await Tus.NewSampleAsync(1);
        using var response = await Tus.CreateAsync(client, file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Tus.Metadata(("filename", "a.mp4"), ("sha256", Tus.Sha256(file)), ("deviceCode", officer.DeviceCode), ("officerBadge", other.Badge)));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("badge-not-yours", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_badge_is_kept_unassigned_for_the_stations_unit_heads_and_custodians()
    {
        var custodian = await factory.PersonAsync(Role.DeviceCustodian);
        var head = await factory.ColleagueAsync(custodian, Role.DepartmentHead);
        using var station = await factory.ClientAsync(custodian);
        var status = await Tus.UploadAsync(station, await Tus.NewSampleAsync(1), 256 * 1024, "DSJ_20261120093000.mp4",
            ("deviceCode", custodian.DeviceCode), ("officerBadge", "999999"));
        Assert.Equal("stored", status.State);
        using (var scope = factory.Services.CreateScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.SingleAsync(r => r.Id == status.RecordId)).Unassigned);

        Assert.True(await SeesAsync(station, status.RecordId!));
        Assert.False(await SeesAsync(station, status.RecordId!, "/content"));
        using var headClient = await factory.ClientAsync(head);
        Assert.True(await FindsAsync(headClient, status.RecordId!));
        var outsider = await factory.PersonAsync(Role.DepartmentHead);
        using var outsiderClient = await factory.ClientAsync(outsider);
        Assert.False(await SeesAsync(outsiderClient, status.RecordId!));
    }

    [Fact]
    public async Task A_state_secret_record_is_hidden_from_everyone_not_cleared()
    {
        var head = await factory.PersonAsync(Role.DepartmentHead);
        var (officer, id) = await RecordedAsync(parentUnit: head.UnitCode);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            await db.Records.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Confidentiality, Confidentiality.StateSecret));
        }
        using var headClient = await factory.ClientAsync(head);
        Assert.False(await SeesAsync(headClient, id));
        using var officerClient = await factory.ClientAsync(officer);
        Assert.False(await SeesAsync(officerClient, id));

        using var admin = await factory.AdminAsync();
        (await admin.PatchAsJsonAsync($"/api/v1/users/{head.Username}", new { clearedForStateSecrets = true })).EnsureSuccessStatusCode();
        using var cleared = await factory.ClientAsync(head);
        Assert.True(await SeesAsync(cleared, id, "/content"));
    }
}
