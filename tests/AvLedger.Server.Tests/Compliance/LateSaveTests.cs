using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Compliance;

public sealed class LateSaveTestsOnSqlite(SqliteFactory factory) : LateSaveTests<SqliteFactory>(factory);

public sealed class LateSaveTestsOnPostgres(PostgresFactory factory) : LateSaveTests<PostgresFactory>(factory);

/// <summary>Art. 12: a save later than 24 hours asks its officer why; a head acknowledges.</summary>
public abstract class LateSaveTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    async Task<string> StateAsync(HttpClient client, string id)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/api/v1/compliance/late-saves"));
        return doc.RootElement.EnumerateArray().Single(r => r.GetProperty("recordId").GetString() == id).GetProperty("state").GetString()!;
    }

    [Fact]
    public async Task A_late_save_gets_its_officers_reason_and_then_a_heads_acknowledgement()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddDays(-3)))).RecordId!;
        using var headClient = await factory.ClientAsync(head);
        Assert.Equal("awaiting-reason", await StateAsync(headClient, id));
        Assert.Equal(HttpStatusCode.Conflict, (await headClient.PostAsync($"/api/v1/records/{id}/late-save-ack", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await own.PostAsJsonAsync($"/api/v1/records/{id}/late-save-reason", new { text = "执法记录仪电量耗尽，次日返回单位后补传" })).StatusCode);
        Assert.Equal("awaiting-acknowledgement", await StateAsync(headClient, id));
        Assert.Equal(HttpStatusCode.NoContent, (await headClient.PostAsync($"/api/v1/records/{id}/late-save-ack", null)).StatusCode);
        Assert.Equal("acknowledged", await StateAsync(headClient, id));
        using var changed = await own.PostAsJsonAsync($"/api/v1/records/{id}/late-save-reason", new { text = "改口" });
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
    }

    [Fact]
    public async Task Only_the_records_officer_explains_and_a_timely_record_needs_no_reason()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        var timely = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddMinutes(-10)))).RecordId!;
        Assert.Equal(HttpStatusCode.Conflict, (await own.PostAsJsonAsync($"/api/v1/records/{timely}/late-save-reason", new { text = "无" })).StatusCode);
        var late = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddDays(-2)))).RecordId!;
        using var headClient = await factory.ClientAsync(head);
        Assert.Equal(HttpStatusCode.Forbidden, (await headClient.PostAsJsonAsync($"/api/v1/records/{late}/late-save-reason", new { text = "代填" })).StatusCode);
    }

    [Fact]
    public async Task An_officer_who_is_also_a_head_cannot_clear_their_own_late_save()
    {
        var officerHead = await factory.PersonAsync(Role.Officer | Role.DepartmentHead);
        var otherHead = await factory.ColleagueAsync(officerHead, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officerHead);
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddDays(-3)))).RecordId!;
        Assert.Equal(HttpStatusCode.NoContent, (await own.PostAsJsonAsync($"/api/v1/records/{id}/late-save-reason", new { text = "设备故障" })).StatusCode);

        using var ack = await own.PostAsync($"/api/v1/records/{id}/late-save-ack", null);
        Assert.Equal(HttpStatusCode.Forbidden, ack.StatusCode);
        using (var doc = JsonDocument.Parse(await ack.Content.ReadAsStringAsync()))
            Assert.Equal("own-record", doc.RootElement.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await own.PostAsJsonAsync($"/api/v1/records/{id}/late-save-return", new { text = "退回自己" })).StatusCode);
        using var other = await factory.ClientAsync(otherHead);
        Assert.Equal("awaiting-acknowledgement", await StateAsync(other, id));
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsync($"/api/v1/records/{id}/late-save-ack", null)).StatusCode);
        Assert.Equal("acknowledged", await StateAsync(other, id));
    }

    [Fact]
    public async Task A_head_returns_a_reason_with_an_opinion_and_the_officer_gives_it_again()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        using var own = await factory.ClientAsync(officer);
        using var headClient = await factory.ClientAsync(head);
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1, factory.Clock.GetUtcNow().AddDays(-3)))).RecordId!;
        Assert.Equal(HttpStatusCode.Conflict, (await headClient.PostAsJsonAsync($"/api/v1/records/{id}/late-save-return", new { text = "尚无说明可退" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await own.PostAsJsonAsync($"/api/v1/records/{id}/late-save-reason", new { text = "忘了" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await headClient.PostAsJsonAsync($"/api/v1/records/{id}/late-save-return", new { text = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await headClient.PostAsJsonAsync($"/api/v1/records/{id}/late-save-return", new { text = "请写明具体原因与补传时间" })).StatusCode);
        Assert.Equal("returned", await StateAsync(headClient, id));
        // A returned reason cannot be acknowledged until it is given again.
        Assert.Equal(HttpStatusCode.Conflict, (await headClient.PostAsync($"/api/v1/records/{id}/late-save-ack", null)).StatusCode);
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"record.late-save-returned\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        using (var inbox = JsonDocument.Parse(await own.GetStringAsync("/api/v1/inbox")))
        {
            var owed = inbox.RootElement.GetProperty("lateSaves").EnumerateArray().Single(l => l.GetProperty("recordId").GetString() == id);
            Assert.Equal("请写明具体原因与补传时间", owed.GetProperty("returnOpinion").GetString());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await own.PostAsJsonAsync($"/api/v1/records/{id}/late-save-reason", new { text = "外勤执法至次日凌晨，记录仪未能及时接入采集站" })).StatusCode);
        Assert.Equal("awaiting-acknowledgement", await StateAsync(headClient, id));
        Assert.Equal(HttpStatusCode.NoContent, (await headClient.PostAsync($"/api/v1/records/{id}/late-save-ack", null)).StatusCode);
        Assert.Equal("acknowledged", await StateAsync(headClient, id));
    }
}
