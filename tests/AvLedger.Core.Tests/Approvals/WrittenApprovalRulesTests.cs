using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;

namespace AvLedger.Core.Tests.Approvals;

/// <summary>The rules of access requests that need no database: a request's overall state, the
/// opinion every written decision carries, who is consulted, and the words of the refusals.</summary>
public sealed class WrittenApprovalRulesTests
{
    static AccessRequest Request(params DecisionState[] states)
    {
        var request = new AccessRequest { Id = "r", RequesterId = "req", Reason = "x", ReasonSalt = "s", TargetType = "records" };
        foreach (var (state, i) in states.Select((s, i) => (s, i)))
            request.Decisions.Add(new AccessDecision { Id = "d" + i, RequestId = "r", OwningUnitId = "u" + i, DecidingUnitId = "u" + i, State = state });
        return request;
    }

    [Fact]
    public void A_request_is_pending_until_every_part_is_decided_and_when_nothing_matched()
    {
        Assert.Equal("pending", AccessRequestDesk.StateOf(Request()));
        Assert.Equal("pending", AccessRequestDesk.StateOf(Request(DecisionState.Approved, DecisionState.Pending)));
        Assert.Equal("approved", AccessRequestDesk.StateOf(Request(DecisionState.Approved, DecisionState.Approved)));
        Assert.Equal("rejected", AccessRequestDesk.StateOf(Request(DecisionState.Rejected)));
        Assert.Equal("partly-approved", AccessRequestDesk.StateOf(Request(DecisionState.Approved, DecisionState.Rejected)));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("  ", true)]
    [InlineData("同意", false)]
    public void A_written_decision_needs_an_opinion(string? opinion, bool refused) =>
        Assert.Equal(refused, WrittenOpinion.Check(opinion) is not null);

    [Fact]
    public void An_opinion_is_at_most_2000_characters()
    {
        Assert.Null(WrittenOpinion.Check(new string('意', WrittenOpinion.MaxLength)));
        var refusal = WrittenOpinion.Check(new string('意', WrittenOpinion.MaxLength + 1));
        Assert.Equal("申请无效：请填写审批意见（不超过 2000 字）。", refusal!.Describe(Refusal.Chinese));
    }

    [Fact]
    public void Only_heads_of_the_consulted_unit_are_consulted()
    {
        var decision = new AccessDecision { Id = "d", RequestId = "r", OwningUnitId = "/a/b/", DecidingUnitId = "/a/b/", ConsultUnitId = "/a/" };
        Account Person(Role roles, string unit) => new() { Id = "p", Username = "p", PasswordHash = "", Roles = roles, DisplayName = "p", UnitId = unit, UnitPath = unit };
        Assert.True(new Scope(Person(Role.DepartmentHead, "/a/"), default).IsConsultedOn(decision));
        Assert.False(new Scope(Person(Role.Inspector, "/a/"), default).IsConsultedOn(decision));
        Assert.False(new Scope(Person(Role.DepartmentHead, "/a/b/"), default).IsConsultedOn(decision));
    }

    [Fact]
    public void Refusals_keep_their_braces_and_values()
    {
        Assert.Equal("Invalid request: Name exactly one target: recordIds, sessionId, caseNumber or officer{officerBadge, from, to}.",
            AccessRequestDesk.Invalid("target-one").Describe(Refusal.English));
        Assert.Equal("申请无效：期限须为 1 至 90 天。", AccessRequestDesk.Invalid("days-range", AccessRequests.MaxDays).Describe(Refusal.Chinese));
        Assert.Equal("账户因多次密码错误已暂时锁定：请于 2026-12-01 16:00（北京时间）后再试，或联系管理员。",
            SignInRefusals.LockedOut(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero)).Describe(Refusal.Chinese));
    }
}
