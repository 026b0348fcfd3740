using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using Record = AvLedger.Core.Records.Record;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Access;

public sealed class RecordChangeTestsOnSqlite(SqliteFactory factory) : RecordChangeTests<SqliteFactory>(factory);

public sealed class RecordChangeTestsOnPostgres(PostgresFactory factory) : RecordChangeTests<PostgresFactory>(factory);

public abstract class RecordChangeTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    async Task<Record> RecordAsync(string id)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Records.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    [Fact]
    public async Task An_unassigned_upload_is_assigned_to_its_officer_who_then_sees_it()
    {
        var custodian = await factory.PersonAsync(Role.DeviceCustodian);
        var officer = await factory.PersonAsync();
        using var station = await factory.ClientAsync(custodian);
        var id = (await Tus.UploadAsync(station, await Tus.NewSampleAsync(1), 256 * 1024, "DSJ_20261120093000.mp4", ("deviceCode", custodian.DeviceCode), ("officerBadge", "888888"))).RecordId!;
        using var own = await factory.ClientAsync(officer);
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/api/v1/records/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await station.PostAsJsonAsync($"/api/v1/records/{id}/assign", new { officerBadge = officer.Badge })).StatusCode);
        var record = await RecordAsync(id);
        Assert.False(record.Unassigned);
        Assert.Equal(officer.Badge, record.OfficerBadge);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        // Once assigned it has left the station's unit: nothing more to assign there.
        Assert.Equal(HttpStatusCode.NotFound, (await station.PostAsJsonAsync($"/api/v1/records/{id}/assign", new { officerBadge = officer.Badge })).StatusCode);
    }

    [Fact]
    public async Task A_confidentiality_level_changes_only_when_the_owning_units_head_approves()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1))).RecordId!;
        using var requested = await own.PostAsJsonAsync($"/api/v1/records/{id}/confidentiality", new { level = "personalPrivacy", reason = "录像含当事人面部及车牌" });
        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        var changeId = JsonDocument.Parse(await requested.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        Assert.Equal(Confidentiality.None, (await RecordAsync(id)).Confidentiality);

        using var approver = await factory.ClientAsync(head);
        using var unconfirmed = await approver.PostAsJsonAsync($"/api/v1/confidentiality-changes/{changeId}/approve", new { opinion = "同意", password = "wrong-password-1" });
        Assert.Equal(HttpStatusCode.Forbidden, unconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await approver.PostAsJsonAsync($"/api/v1/confidentiality-changes/{changeId}/approve", new { opinion = "同意定为个人隐私", password = head.Password })).StatusCode);
        Assert.Equal(Confidentiality.PersonalPrivacy, (await RecordAsync(id)).Confidentiality);

        var leaves = await factory.LedgerLeavesAsync();
        Assert.Contains(leaves, l => l.Contains("\"record.confidentiality\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal) && !l.Contains("车牌", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Raising_a_record_to_state_secret_hides_it_even_from_its_officer()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var deputy = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1))).RecordId!;
        using var headClient = await factory.ClientAsync(head);
        using var requested = await headClient.PostAsJsonAsync($"/api/v1/records/{id}/confidentiality", new { level = "stateSecret", reason = "涉及国家秘密" });
        var changeId = JsonDocument.Parse(await requested.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var self = await headClient.PostAsJsonAsync($"/api/v1/confidentiality-changes/{changeId}/approve", new { opinion = "同意", password = head.Password });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        using var other = await factory.ClientAsync(deputy);
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsJsonAsync($"/api/v1/confidentiality-changes/{changeId}/approve", new { opinion = "同意", password = deputy.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/api/v1/records/{id}")).StatusCode);
    }
}
