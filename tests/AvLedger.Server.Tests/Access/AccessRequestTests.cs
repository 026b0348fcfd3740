using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Access;

public sealed class AccessRequestTestsOnSqlite(SqliteFactory factory) : AccessRequestTests<SqliteFactory>(factory);

public sealed class AccessRequestTestsOnPostgres(PostgresFactory factory) : AccessRequestTests<PostgresFactory>(factory);

/// <summary>Art. 17: beyond scope only with the owning unit's head's written approval.</summary>
public abstract class AccessRequestTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Officer A records in unit A (whose head is Head A); Outsider is an officer elsewhere.</summary>
    async Task<(string RecordId, AvLedgerFactory.Person Officer, AvLedgerFactory.Person Head, AvLedgerFactory.Person Outsider)> WorldAsync()
    {
        var officer = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var outsider = await factory.PersonAsync();
        using var client = await factory.ClientAsync(officer);
        var id = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(1))).RecordId!;
        return (id, officer, head, outsider);
    }

    async Task<string> RequestAsync(HttpClient client, string recordId, string kind = "view", int days = 3)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/access-requests", new { kind, reason = "办理投诉复核需查看现场录像", days, recordIds = new[] { recordId } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task An_approved_view_request_opens_watermarked_playback_but_not_the_original_until_it_expires()
    {
        var (id, _, head, outsider) = await WorldAsync();
        using var requester = await factory.ClientAsync(outsider);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        var requestId = await RequestAsync(requester, id, days: 2);

        using var approver = await factory.ClientAsync(head);
        using var approved = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意查看，限两日内", password = head.Password });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var number = (await JsonAsync(approved)).GetProperty("decisions")[0].GetProperty("number").GetString();
        Assert.Matches("音像审〔\\d{4}〕[1-9]\\d*号$", number);

        // Viewing is not copying: a view grant plays the watermarked stream, never the original's bytes.
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/records/{id}/watch/index.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{id}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{id}/download")).StatusCode);

        factory.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{id}/watch/index.m3u8")).StatusCode);
    }

    [Fact]
    public async Task A_copy_grant_opens_download_and_revoking_it_closes_everything()
    {
        var (id, _, head, outsider) = await WorldAsync();
        using var requester = await factory.ClientAsync(outsider);
        var requestId = await RequestAsync(requester, id, kind: "copy");
        using var approver = await factory.ClientAsync(head);
        using var approved = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意复制", password = head.Password });
        var grantId = (await JsonAsync(approved)).GetProperty("decisions")[0].GetProperty("grantId").GetString();
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/records/{id}/download")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await approver.PostAsync($"/api/v1/access-grants/{grantId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{id}/download")).StatusCode);
    }

    [Fact]
    public async Task A_request_for_records_that_do_not_exist_is_accepted_like_any_other()
    {
        var (_, _, _, outsider) = await WorldAsync();
        using var requester = await factory.ClientAsync(outsider);
        var requestId = await RequestAsync(requester, "01ARZ3NDEKTSV4RRFFQ69G5FAV");
        var view = await JsonAsync(await requester.GetAsync($"/api/v1/access-requests/{requestId}"));
        Assert.Equal("pending", view.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_rejection_needs_the_approvers_password_and_opens_nothing()
    {
        var (id, _, head, outsider) = await WorldAsync();
        using var requester = await factory.ClientAsync(outsider);
        var requestId = await RequestAsync(requester, id);
        using var approver = await factory.ClientAsync(head);
        using var unconfirmed = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/reject", new { opinion = "理由不充分", password = "not-my-password-1" });
        Assert.Equal("confirmation-failed", (await JsonAsync(unconfirmed)).GetProperty("code").GetString());
        using var rejected = await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/reject", new { opinion = "理由不充分", password = head.Password });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("rejected", (await JsonAsync(await requester.GetAsync($"/api/v1/access-requests/{requestId}"))).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{id}")).StatusCode);
    }

    [Fact]
    public async Task Nobody_decides_their_own_request_and_a_head_of_another_branch_cannot_see_it()
    {
        var (id, _, head, _) = await WorldAsync();
        var otherHead = await factory.PersonAsync(Role.DepartmentHead | Role.Officer);
        using var other = await factory.ClientAsync(otherHead);
        var requestId = await RequestAsync(other, id);
        using var own = await other.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "自批", password = otherHead.Password });
        Assert.Equal("own-request", (await JsonAsync(own)).GetProperty("code").GetString());

        var stranger = await factory.PersonAsync(Role.DepartmentHead);
        using var strangerClient = await factory.ClientAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync($"/api/v1/access-requests/{requestId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "越权", password = stranger.Password })).StatusCode);
        using var approver = await factory.ClientAsync(head);
        Assert.Equal(HttpStatusCode.OK, (await approver.GetAsync($"/api/v1/access-requests/{requestId}")).StatusCode);
    }

    [Fact]
    public async Task A_unit_without_a_head_passes_the_decision_to_the_nearest_ancestors_head()
    {
        var top = await factory.PersonAsync(Role.DepartmentHead);
        var officer = await factory.PersonAsync(Role.Officer, parentUnit: top.UnitCode);
        using var officerClient = await factory.ClientAsync(officer);
        var id = (await Tus.UploadAsync(officerClient, await Tus.NewSampleAsync(1))).RecordId!;
        var outsider = await factory.PersonAsync();
        using var requester = await factory.ClientAsync(outsider);
        var requestId = await RequestAsync(requester, id);
        using var approver = await factory.ClientAsync(top);
        using var inbox = JsonDocument.Parse(await approver.GetStringAsync("/api/v1/approvals"));
        Assert.Contains(inbox.RootElement.EnumerateArray(), i => i.GetProperty("requestId").GetString() == requestId);
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意", password = top.Password })).StatusCode);
    }

    [Fact]
    public async Task A_request_spanning_two_units_is_decided_per_unit()
    {
        var (first, firstOfficer, firstHead, outsider) = await WorldAsync();
        var secondOfficer = await factory.PersonAsync();
        var secondHead = await factory.ColleagueAsync(secondOfficer, Role.DepartmentHead);
        using var secondClient = await factory.ClientAsync(secondOfficer);
        var second = (await Tus.UploadAsync(secondClient, await Tus.NewSampleAsync(1))).RecordId!;
        using var requester = await factory.ClientAsync(outsider);
        using var created = await requester.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "两单位联合执法复核", days = 5, recordIds = new[] { first, second } });
        var requestId = (await JsonAsync(created)).GetProperty("id").GetString();

        using var a = await factory.ClientAsync(firstHead);
        (await a.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意", password = firstHead.Password })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/api/v1/records/{first}/watch/index.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/api/v1/records/{second}/watch/index.m3u8")).StatusCode);
        Assert.Equal("pending", (await JsonAsync(await requester.GetAsync($"/api/v1/access-requests/{requestId}"))).GetProperty("state").GetString());

        using var b = await factory.ClientAsync(secondHead);
        (await b.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/reject", new { opinion = "不同意", password = secondHead.Password })).EnsureSuccessStatusCode();
        Assert.Equal("partly-approved", (await JsonAsync(await requester.GetAsync($"/api/v1/access-requests/{requestId}"))).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Each_decision_is_a_ledger_leaf_naming_its_records_without_the_opinions_text()
    {
        var (id, _, head, outsider) = await WorldAsync();
        using var requester = await factory.ClientAsync(outsider);
        var requestId = await RequestAsync(requester, id);
        using var approver = await factory.ClientAsync(head);
        (await approver.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意查看，注意保密", password = head.Password })).EnsureSuccessStatusCode();
        var leaves = (await factory.LedgerLeavesAsync()).Where(l => l.Contains(requestId, StringComparison.Ordinal)).ToList();
        var decided = Assert.Single(leaves, l => l.Contains("\"access.approved\"", StringComparison.Ordinal));
        Assert.Contains(id, decided, StringComparison.Ordinal);
        Assert.Contains("opinionCommitment", decided, StringComparison.Ordinal);
        Assert.DoesNotContain("注意保密", decided, StringComparison.Ordinal);
        Assert.Single(leaves, l => l.Contains("\"access.requested\"", StringComparison.Ordinal) && !l.Contains("复核", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_request_says_what_is_wrong()
    {
        var (_, _, _, outsider) = await WorldAsync();
        using var requester = await factory.ClientAsync(outsider);
        using var two = await requester.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "x", days = 1, recordIds = new[] { "01ARZ3NDEKTSV4RRFFQ69G5FAV" }, caseNumber = "A1" });
        Assert.Equal(HttpStatusCode.BadRequest, two.StatusCode);
        using var long_ = await requester.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "x", days = 365, caseNumber = "A1" });
        Assert.Equal("access-request-invalid", (await JsonAsync(long_)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_external_provision_cannot_be_asked_as_an_access_request_and_nothing_is_created()
    {
        var (id, _, _, outsider) = await WorldAsync();
        using var requester = await factory.ClientAsync(outsider);
        using var provide = await requester.PostAsJsonAsync("/api/v1/access-requests", new { kind = "provide", reason = "对外提供", days = 3, recordIds = new[] { id } });
        Assert.Equal(HttpStatusCode.BadRequest, provide.StatusCode);
        var problem = await JsonAsync(provide);
        Assert.Equal("access-request-invalid", problem.GetProperty("code").GetString());
        Assert.Contains("provisions", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var mine = await requester.GetAsync("/api/v1/access-requests");
        Assert.Equal(0, (await JsonAsync(mine)).GetArrayLength());
    }
}
