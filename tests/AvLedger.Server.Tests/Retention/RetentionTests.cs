using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Core.Retention;
using AvLedger.Server.Retention;
using AvLedger.Server.Tests.Infrastructure;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Retention;

public sealed class RetentionTestsOnSqlite(SqliteFactory factory) : RetentionTests<SqliteFactory>(factory);

public sealed class RetentionTestsOnPostgres(PostgresFactory factory) : RetentionTests<PostgresFactory>(factory);

/// <summary>Art. 13: periods of at least 180 days, the longest wins, cases and holds keep records,
/// and a purge needs a head's written approval and a recovery window; nothing removes an original sooner.</summary>
public abstract class RetentionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    DateTimeOffset Now => factory.Clock.GetUtcNow();

    static DateOnly Day(DateTimeOffset t) => RecordingTimes.RecordingDay(t);

    /// <summary>An officer with a head, a legal officer and a record of theirs recorded <paramref name="daysAgo"/> days ago.</summary>
    async Task<(AvLedgerFactory.Person Officer, AvLedgerFactory.Person Head, AvLedgerFactory.Person Legal, string RecordId, DateTimeOffset Recorded)> WorldAsync(int daysAgo)
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var own = await factory.ClientAsync(officer);
        // Periods count Beijing days: a recording five minutes before "now" must fall on the same day as now
        // (a run just after Beijing midnight, 16:00 UTC, once put it on the day before and proposed it a day early).
        if (RecordingTimes.ToChina(Now).TimeOfDay < TimeSpan.FromHours(1)) factory.Clock.Advance(TimeSpan.FromHours(1));
        var recorded = Now.AddDays(-daysAgo).AddMinutes(-5);
        var id = (await Tus.UploadAsync(own, await Tus.NewSampleAsync(1, recorded))).RecordId!;
        return (officer, head, legal, id, recorded);
    }

    async Task<RetentionPass.Outcome> PassAsync()
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionPass>().RunOnceAsync();
    }

    async Task<T> WithDbAsync<T>(Func<AvLedgerDb, Task<T>> work)
    {
        using var scope = factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AvLedgerDb>());
    }

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    static async Task<string> CodeOf(HttpResponseMessage response) => (await JsonAsync(response)).GetProperty("code").GetString()!;

    async Task<JsonElement?> ProposalForAsync(HttpClient head, string recordId)
    {
        var list = await JsonAsync(await head.GetAsync("/api/v1/purge-proposals"));
        return list.EnumerateArray().Where(p => p.GetProperty("recordId").GetString() == recordId)
            .OrderByDescending(p => p.GetProperty("proposedAt").GetDateTimeOffset()).Cast<JsonElement?>().FirstOrDefault();
    }

    [Fact]
    public async Task No_period_is_shorter_than_180_days_and_only_an_administrator_sets_periods()
    {
        using var admin = await factory.AdminAsync();
        using var tooShort = await admin.PutAsJsonAsync("/api/v1/retention/categories/general", new { name = "一般", days = 30 });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal("retention-too-short", await CodeOf(tooShort));
        using var alsoShort = await admin.PutAsJsonAsync("/api/v1/retention/categories/shortish", new { name = "短期", days = 179 });
        Assert.Equal(HttpStatusCode.BadRequest, alsoShort.StatusCode);

        var categories = await JsonAsync(await admin.GetAsync("/api/v1/retention/categories"));
        Assert.Equal(180, categories.EnumerateArray().Single(c => c.GetProperty("code").GetString() == "general").GetProperty("days").GetInt32());
        Assert.DoesNotContain(categories.EnumerateArray(), c => c.GetProperty("code").GetString() == "shortish");
        foreach (var code in new[] { "evidence", "partyObstructed", "majorIncident", "complaintOrDispute" })
            Assert.Equal(JsonValueKind.Null, categories.EnumerateArray().Single(c => c.GetProperty("code").GetString() == code).GetProperty("days").ValueKind);

        using var created = await admin.PutAsJsonAsync("/api/v1/retention/categories/traffic-a", new { name = "交通事故", days = 365 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"retention.category-changed\"", StringComparison.Ordinal) && l.Contains("traffic-a", StringComparison.Ordinal));

        var head = await factory.PersonAsync(Role.DepartmentHead);
        using var headClient = await factory.ClientAsync(head);
        Assert.Equal(HttpStatusCode.Forbidden, (await headClient.PutAsJsonAsync("/api/v1/retention/categories/general", new { name = "一般", days = 200 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await headClient.GetAsync("/api/v1/retention/categories")).StatusCode);
    }

    [Fact]
    public async Task The_longest_category_wins_and_until_the_case_file_is_open_ended()
    {
        using var admin = await factory.AdminAsync();
        (await admin.PutAsJsonAsync("/api/v1/retention/categories/long-400", new { name = "长期", days = 400 })).EnsureSuccessStatusCode();
        var (officer, head, legal, id, recorded) = await WorldAsync(1);
        using var headClient = await factory.ClientAsync(head);
        var record = await JsonAsync(await headClient.GetAsync($"/api/v1/records/{id}"));
        Assert.Equal(Day(recorded).AddDays(180).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), record.GetProperty("retainUntil").GetString());

        using var set = await headClient.PostAsJsonAsync($"/api/v1/records/{id}/retention", new { categories = new[] { "general", "long-400" } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        record = await JsonAsync(await headClient.GetAsync($"/api/v1/records/{id}"));
        Assert.Equal(Day(recorded).AddDays(400).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), record.GetProperty("retainUntil").GetString());
        Assert.False(record.GetProperty("retentionOpenEnded").GetBoolean());
        Assert.Equal(["general", "long-400"], record.GetProperty("retentionCategories").EnumerateArray().Select(c => c.GetString()!).ToArray());

        using var legalClient = await factory.ClientAsync(legal);
        Assert.Equal(HttpStatusCode.OK, (await legalClient.PostAsJsonAsync($"/api/v1/records/{id}/retention", new { categories = new[] { "evidence" } })).StatusCode);
        record = await JsonAsync(await headClient.GetAsync($"/api/v1/records/{id}"));
        Assert.True(record.GetProperty("retentionOpenEnded").GetBoolean());
        Assert.Equal(Day(recorded).AddDays(180).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), record.GetProperty("retainUntil").GetString());
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"record.retention\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));

        using var unknown = await headClient.PostAsJsonAsync($"/api/v1/records/{id}/retention", new { categories = new[] { "no-such" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var own = await factory.ClientAsync(officer);
        Assert.Equal(HttpStatusCode.Forbidden, (await own.PostAsJsonAsync($"/api/v1/records/{id}/retention", new { categories = new[] { "general" } })).StatusCode);
        var elsewhere = await factory.PersonAsync(Role.DepartmentHead);
        using var otherHead = await factory.ClientAsync(elsewhere);
        Assert.Equal(HttpStatusCode.NotFound, (await otherHead.PostAsJsonAsync($"/api/v1/records/{id}/retention", new { categories = new[] { "general" } })).StatusCode);
    }

    [Fact]
    public async Task An_open_case_keeps_its_records_and_a_closed_one_keeps_them_its_period_from_closing()
    {
        var (_, head, _, id, recorded) = await WorldAsync(1);
        var caseId = await WithDbAsync(async db =>
        {
            var record = await db.Records.SingleAsync(r => r.Id == id);
            var c = new Case { Id = Core.Ids.New(), Number = $"渝交执〔2026〕{Core.Ids.New()[..6]}号", Title = "测试案件", UnitId = record.UnitId!, UnitPath = record.UnitPath!, CreatedAt = Now, Status = CaseStatus.Open };
            db.Cases.Add(c);
            db.CaseLinks.Add(new CaseLink { Id = Core.Ids.New(), CaseId = c.Id, RecordId = id, LinkedById = "test", LinkedAt = Now });
            await db.SaveChangesAsync();
            await RetentionRules.RecomputeCaseAsync(db, c.Id, Now);
            await db.SaveChangesAsync();
            return c.Id;
        });
        using var headClient = await factory.ClientAsync(head);
        var record = await JsonAsync(await headClient.GetAsync($"/api/v1/records/{id}"));
        Assert.True(record.GetProperty("retentionOpenEnded").GetBoolean());

        var closed = Now.AddDays(30);
        await WithDbAsync(async db =>
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            c.Status = CaseStatus.Closed;
            c.ClosedAt = closed;
            await RetentionRules.RecomputeCaseAsync(db, caseId, Now);
            return await db.SaveChangesAsync();
        });
        record = await JsonAsync(await headClient.GetAsync($"/api/v1/records/{id}"));
        Assert.False(record.GetProperty("retentionOpenEnded").GetBoolean());
        Assert.Equal(Day(closed).AddDays(180).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), record.GetProperty("retainUntil").GetString());
        Assert.True(Day(closed).AddDays(180) > Day(recorded).AddDays(180));
    }

    [Fact]
    public async Task A_record_is_proposed_for_purge_only_once_its_period_has_ended()
    {
        var (_, head, _, id, _) = await WorldAsync(179);
        using var headClient = await factory.ClientAsync(head);
        await PassAsync();
        Assert.Null(await ProposalForAsync(headClient, id));
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await PassAsync();
        Assert.Null(await ProposalForAsync(headClient, id));
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await PassAsync();
        var proposal = await ProposalForAsync(headClient, id);
        Assert.Equal("Proposed", proposal?.GetProperty("state").GetString());
        await PassAsync();
        var all = await JsonAsync(await headClient.GetAsync("/api/v1/purge-proposals?state=proposed"));
        Assert.Single(all.EnumerateArray(), p => p.GetProperty("recordId").GetString() == id);
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"purge.proposed\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_legal_hold_stops_an_approved_purge()
    {
        var (_, head, legal, id, _) = await WorldAsync(200);
        using var headClient = await factory.ClientAsync(head);
        await PassAsync();
        var proposal = (await ProposalForAsync(headClient, id))!.Value.GetProperty("id").GetString()!;
        using (var approved = await headClient.PostAsJsonAsync($"/api/v1/purge-proposals/{proposal}/approve", new { opinion = "已过保存期限，同意销毁", password = head.Password }))
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        using var legalClient = await factory.ClientAsync(legal);
        using var placed = await legalClient.PostAsJsonAsync("/api/v1/legal-holds", new { recordId = id, reason = "涉诉，法院调取" });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var holdId = (await JsonAsync(placed)).GetProperty("id").GetString()!;
        factory.Clock.Advance(TimeSpan.FromDays(8));
        await PassAsync();

        Assert.Equal("Withdrawn", (await ProposalForAsync(headClient, id))!.Value.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await headClient.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        var record = await JsonAsync(await headClient.GetAsync($"/api/v1/records/{id}"));
        Assert.True(record.GetProperty("retentionOpenEnded").GetBoolean());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("purgedAt").ValueKind);

        // Released, the record is expired again and proposed afresh.
        Assert.Equal(HttpStatusCode.NoContent, (await legalClient.PostAsync($"/api/v1/legal-holds/{holdId}/release", null)).StatusCode);
        await PassAsync();
        Assert.Equal("Proposed", (await ProposalForAsync(headClient, id))!.Value.GetProperty("state").GetString());
        var leaves = await factory.LedgerLeavesAsync();
        Assert.Contains(leaves, l => l.Contains("\"legal-hold.placed\"", StringComparison.Ordinal) && l.Contains(holdId, StringComparison.Ordinal));
        Assert.Contains(leaves, l => l.Contains("\"legal-hold.released\"", StringComparison.Ordinal) && l.Contains(holdId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_in_the_recovery_window_keeps_the_record()
    {
        var (officer, head, _, id, _) = await WorldAsync(200);
        using var headClient = await factory.ClientAsync(head);
        await PassAsync();
        var proposal = (await ProposalForAsync(headClient, id))!.Value.GetProperty("id").GetString()!;
        using (var wrong = await headClient.PostAsJsonAsync($"/api/v1/purge-proposals/{proposal}/approve", new { opinion = "同意", password = "wrong-password-0" }))
            Assert.Equal("confirmation-failed", await CodeOf(wrong));
        using (var noOpinion = await headClient.PostAsJsonAsync($"/api/v1/purge-proposals/{proposal}/approve", new { opinion = "", password = head.Password }))
            Assert.Equal(HttpStatusCode.BadRequest, noOpinion.StatusCode);
        using var approved = await headClient.PostAsJsonAsync($"/api/v1/purge-proposals/{proposal}/approve", new { opinion = "同意销毁", password = head.Password });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var destroyAfter = (await JsonAsync(approved)).GetProperty("destroyAfter").GetDateTimeOffset();
        Assert.Equal(Now.AddDays(7), destroyAfter, TimeSpan.FromSeconds(1));

        factory.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(HttpStatusCode.NoContent, (await headClient.PostAsync($"/api/v1/purge-proposals/{proposal}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await headClient.PostAsync($"/api/v1/purge-proposals/{proposal}/cancel", null)).StatusCode);
        factory.Clock.Advance(TimeSpan.FromDays(8));
        await PassAsync();

        using var own = await factory.ClientAsync(officer);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        Assert.Equal("Cancelled", (await ProposalForAsync(headClient, id))!.Value.GetProperty("state").GetString());
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"purge.cancelled\"", StringComparison.Ordinal) && l.Contains(proposal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clip_of_a_purged_record_is_destroyed_with_it_and_no_longer_served()
    {
        var (officer, head, _, id, _) = await WorldAsync(200);
        using var own = await factory.ClientAsync(officer);
        using var cut = await own.PostAsJsonAsync($"/api/v1/records/{id}/clips", new { start = 0.0, end = 0.5 });
        Assert.Equal(HttpStatusCode.Accepted, cut.StatusCode);
        var clipId = (await JsonAsync(cut)).GetProperty("id").GetString()!;
        await factory.WorkersIdleAsync();
        var clip = await JsonAsync(await own.GetAsync($"/api/v1/derivatives/{clipId}"));
        Assert.Equal("ready", clip.GetProperty("state").GetString());
        var clipSha = await WithDbAsync(db => db.Derivatives.Where(d => d.Id == clipId).Select(d => d.Sha256!).SingleAsync());
        var vault = factory.Services.GetRequiredService<RecordVault>();
        Assert.NotNull(await vault.OpenAsync(RecordVault.ClipKey(clipSha), default));

        using var headClient = await factory.ClientAsync(head);
        await PassAsync();
        var proposal = (await ProposalForAsync(headClient, id))!.Value.GetProperty("id").GetString()!;
        (await headClient.PostAsJsonAsync($"/api/v1/purge-proposals/{proposal}/approve", new { opinion = "同意销毁", password = head.Password })).EnsureSuccessStatusCode();
        factory.Clock.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, (await PassAsync()).Executed);

        Assert.Null(await vault.OpenAsync(RecordVault.ClipKey(clipSha), default));
        foreach (var path in new[] { "content", "view" })
        {
            using var gone = await own.GetAsync($"/api/v1/derivatives/{clipId}/{path}");
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Equal("record-purged", await CodeOf(gone));
        }
    }

    [Fact]
    public async Task After_the_window_the_original_is_destroyed_and_the_record_stays_as_a_tombstone()
    {
        var (officer, head, _, id, _) = await WorldAsync(200);
        using var headClient = await factory.ClientAsync(head);
        var sha = (await JsonAsync(await headClient.GetAsync($"/api/v1/records/{id}"))).GetProperty("sha256").GetString()!;
        await PassAsync();
        var proposal = (await ProposalForAsync(headClient, id))!.Value.GetProperty("id").GetString()!;
        (await headClient.PostAsJsonAsync($"/api/v1/purge-proposals/{proposal}/approve", new { opinion = "同意销毁", password = head.Password })).EnsureSuccessStatusCode();
        var vault = factory.Services.GetRequiredService<RecordVault>();

        factory.Clock.Advance(TimeSpan.FromDays(6));
        await PassAsync();
        Assert.Equal(HttpStatusCode.OK, (await headClient.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        Assert.NotNull(await vault.OpenAsync(RecordVault.OriginalKey(sha), default));

        factory.Clock.Advance(TimeSpan.FromDays(1).Add(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, (await PassAsync()).Executed);
        Assert.Null(await vault.OpenAsync(RecordVault.OriginalKey(sha), default));
        Assert.Null(await vault.OpenAsync(RecordVault.ThumbnailKey(sha), default));

        using var own = await factory.ClientAsync(officer);
        foreach (var path in new[] { "content", "download", "thumbnail", "rendition" })
        {
            using var gone = await own.GetAsync($"/api/v1/records/{id}/{path}");
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Equal("record-purged", await CodeOf(gone));
        }
        var stranger = await factory.PersonAsync();
        using var strangerClient = await factory.ClientAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync($"/api/v1/records/{id}/content")).StatusCode);

        var tombstone = await JsonAsync(await own.GetAsync($"/api/v1/records/{id}"));
        Assert.Equal(sha, tombstone.GetProperty("sha256").GetString());
        Assert.NotEqual(JsonValueKind.Null, tombstone.GetProperty("purgedAt").ValueKind);
        Assert.Equal("Executed", (await ProposalForAsync(headClient, id))!.Value.GetProperty("state").GetString());
        var leaf = Assert.Single(await factory.LedgerLeavesAsync(), l => l.Contains("\"record.purged\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        Assert.Contains(sha, leaf, StringComparison.Ordinal);
        Assert.Contains(proposal, leaf, StringComparison.Ordinal);
        Assert.DoesNotContain("\"approver\":null", leaf, StringComparison.Ordinal);
        // A tombstone is not proposed again, and holds and categories no longer apply to it.
        Assert.Equal(0, (await PassAsync()).Proposed);
        Assert.Equal(HttpStatusCode.Gone, (await headClient.PostAsJsonAsync($"/api/v1/records/{id}/retention", new { categories = new[] { "general" } })).StatusCode);
    }

    [Fact]
    public async Task The_vault_refuses_to_destroy_an_original_before_its_time_whoever_calls()
    {
        var (_, head, _, id, _) = await WorldAsync(1);
        var (sha, retainUntil) = await WithDbAsync(db => db.Records.Where(r => r.Id == id).Select(r => new Tuple<string, DateOnly>(r.Sha256, r.RetainUntil)).SingleAsync());
        var vault = factory.Services.GetRequiredService<RecordVault>();
        // The period has not ended, however the order is dated.
        await Assert.ThrowsAsync<PurgeRefusedException>(() => vault.DestroyAsync(sha, new PurgeOrder("p", head.Username, retainUntil, Now.AddDays(-30))));
        // The period has ended but the recovery window has not.
        await Assert.ThrowsAsync<PurgeRefusedException>(() => vault.DestroyAsync(sha, new PurgeOrder("p", head.Username, Day(Now).AddDays(-1), Now.AddHours(1))));
        // Without a proposal and an approver, nothing at all.
        await Assert.ThrowsAsync<PurgeRefusedException>(() => vault.DestroyAsync(sha, new PurgeOrder("", "", Day(Now).AddDays(-1), Now.AddDays(-1))));
        Assert.NotNull(await vault.OpenAsync(RecordVault.OriginalKey(sha), default));
        using var headClient = await factory.ClientAsync(head);
        Assert.Equal(HttpStatusCode.OK, (await headClient.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
    }

    [Fact]
    public async Task Delete_is_refused_for_everyone_and_removes_nothing()
    {
        var (officer, head, legal, id, _) = await WorldAsync(200);
        foreach (var person in new[] { officer, head, legal })
        {
            using var client = await factory.ClientAsync(person);
            using var refused = await client.DeleteAsync($"/api/v1/records/{id}");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
            Assert.Equal("records-are-never-deleted", await CodeOf(refused));
        }
        using var admin = await factory.AdminAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/records/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().DeleteAsync($"/api/v1/records/{id}")).StatusCode);
        using var own = await factory.ClientAsync(officer);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
    }
}
