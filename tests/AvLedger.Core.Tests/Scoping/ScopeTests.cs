using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Records;
using AvLedger.Core.Scoping;
using Record = AvLedger.Core.Records.Record;

namespace AvLedger.Core.Tests.Scoping;

/// <summary>The scope rules on their own, over records held in memory.</summary>
public sealed class ScopeTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    const string Corps = "/corps/";
    const string Branch1 = "/corps/b1/";
    const string Branch2 = "/corps/b2/";

    static Account Person(Role roles, string? unitPath, string id = "p", bool cleared = false) => new()
    {
        Id = id, Username = id, PasswordHash = "", Roles = roles, DisplayName = id, UnitPath = unitPath, UnitId = unitPath, ClearedForStateSecrets = cleared,
    };

    static Record Record(string id, string unitPath, string officerId = "officer", Confidentiality confidentiality = Confidentiality.None) => new()
    {
        Id = id, Sha256 = id, FileName = id, Format = "mp4", MediaKind = "video", ContentType = "video/mp4", UnitPath = unitPath, UnitId = unitPath,
        OfficerId = officerId, RecordedStartSource = RecordedTimeSources.Container, UploadedById = officerId, UploadChannel = "tus", Confidentiality = confidentiality,
    };

    static void Grant(Record record, string granteeId, AccessKind kind, DateTimeOffset expires, DateTimeOffset? revoked = null, string requestId = "req")
    {
        var decision = new AccessDecision { Id = "d" + record.Id, RequestId = requestId, OwningUnitId = record.UnitId!, DecidingUnitId = record.UnitId!, State = DecisionState.Approved };
        decision.Grant = new AccessGrant { Id = "g" + record.Id, DecisionId = decision.Id, GranteeId = granteeId, Kind = kind, ExpiresAt = expires, RevokedAt = revoked };
        record.Approvals.Add(new AccessDecisionRecord { DecisionId = decision.Id, Decision = decision, RecordId = record.Id });
    }

    static List<string> Ids(IQueryable<Record> records) => records.Select(r => r.Id).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void A_head_sees_their_unit_and_the_units_below_it_but_not_a_sibling_unit()
    {
        var records = new[] { Record("corps", Corps), Record("b1", Branch1), Record("b1-team", Branch1 + "t1/"), Record("b2", Branch2) }.AsQueryable();
        var head = new Scope(Person(Role.DepartmentHead, Branch1), Now);
        Assert.Equal(["b1", "b1-team"], Ids(head.Records(records)));
        Assert.True(head.Covers(Branch1 + "t1/"));
        Assert.False(head.Covers(Corps));
        Assert.False(head.Covers(Branch2));
    }

    [Fact]
    public void A_unit_path_is_a_prefix_of_whole_segments_only()
    {
        // "/corps/b1/" is not an ancestor of "/corps/b10/": paths end with a slash, so the prefix test cannot mistake them.
        Assert.False(Scope.Under("/corps/b10/", Branch1));
        Assert.True(Scope.Under(Branch1, Branch1));
        Assert.False(Scope.Under(null, Branch1));
        Assert.False(Scope.Under(Branch1, null));
    }

    [Fact]
    public void An_auditor_knows_of_records_but_plays_none()
    {
        var records = new[] { Record("b1", Branch1) }.AsQueryable();
        var auditor = new Scope(Person(Role.Auditor, Corps), Now);
        Assert.Equal(["b1"], Ids(auditor.Records(records)));
        Assert.Empty(Ids(auditor.Records(records, Access.View)));
    }

    [Fact]
    public void A_grant_opens_a_record_only_while_it_is_live_and_only_for_its_kind()
    {
        var live = Record("live", Branch2);
        var expired = Record("expired", Branch2);
        var revoked = Record("revoked", Branch2);
        var copy = Record("copy", Branch2);
        Grant(live, "p", AccessKind.View, Now.AddDays(1));
        Grant(expired, "p", AccessKind.View, Now);
        Grant(revoked, "p", AccessKind.View, Now.AddDays(1), revoked: Now.AddHours(-1));
        Grant(copy, "p", AccessKind.Copy, Now.AddDays(1));
        var records = new[] { live, expired, revoked, copy }.AsQueryable();
        var officer = new Scope(Person(Role.Officer, Branch1), Now);
        Assert.Equal(["copy", "live"], Ids(officer.Records(records, Access.View)));
        Assert.Equal(["copy"], Ids(officer.Records(records, Access.Copy)));
    }

    [Fact]
    public void A_provision_grant_opens_export_and_nothing_else()
    {
        var provided = Record("provided", Branch2);
        Grant(provided, "legal", AccessKind.Provide, Now.AddDays(1), requestId: "prov-1");
        var records = new[] { provided }.AsQueryable();
        var legal = new Scope(Person(Role.LegalOfficer, Branch1, "legal"), Now);
        Assert.Empty(Ids(legal.Records(records)));
        Assert.Equal(["provided"], Ids(legal.Providable(records)));
        Assert.Equal(["provided"], Ids(legal.Providable(records, "prov-1")));
        Assert.Empty(Ids(legal.Providable(records, "prov-2")));
    }

    [Fact]
    public void State_secret_records_need_clearance_whatever_the_scope()
    {
        var records = new[] { Record("secret", Branch1, confidentiality: Confidentiality.StateSecret), Record("plain", Branch1) }.AsQueryable();
        Assert.Equal(["plain"], Ids(new Scope(Person(Role.DepartmentHead, Corps), Now).Records(records)));
        Assert.Equal(["plain", "secret"], Ids(new Scope(Person(Role.DepartmentHead, Corps, cleared: true), Now).Records(records)));
    }

    [Fact]
    public void Key_content_is_marked_by_its_officers_and_those_over_its_unit_not_by_auditors()
    {
        Assert.True(new Scope(Person(Role.Officer, Branch2, "officer"), Now).MarksKeyContent("officer", Branch1, sessionMember: false));
        Assert.True(new Scope(Person(Role.Officer, Branch2, "other"), Now).MarksKeyContent("officer", Branch1, sessionMember: true));
        Assert.True(new Scope(Person(Role.Inspector, Corps), Now).MarksKeyContent("officer", Branch1, sessionMember: false));
        Assert.False(new Scope(Person(Role.Auditor, Corps), Now).MarksKeyContent("officer", Branch1, sessionMember: false));
        Assert.False(new Scope(Person(Role.DepartmentHead, Branch2), Now).MarksKeyContent("officer", Branch1, sessionMember: false));
    }
}
