using System.Reflection;
using System.Text;
using AvLedger.Core.Audit;
using AvLedger.Core.Ledger;
using AvLedger.Core.Retention;
using AvLedger.Ledger;

namespace AvLedger.Core.Tests.Ledger;

public class LeafKindsTests
{
    static readonly DateTimeOffset At = new(2026, 7, 1, 8, 30, 0, TimeSpan.FromHours(8));

    static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_kind_is_listed_once()
    {
        Assert.NotEmpty(LeafKinds.All);
        Assert.Equal(LeafKinds.All.Count, LeafKinds.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_audited_action_is_a_leaf_kind_except_a_package_download_whose_leaf_names_the_package()
    {
        Assert.All(Constants(typeof(AuditActions)).Where(a => a != AuditActions.PackageDownload), a => Assert.True(LeafKinds.IsKnown(a), a));
        Assert.False(LeafKinds.IsKnown(AuditActions.PackageDownload));
        Assert.All(Constants(typeof(PurgeKinds)), k => Assert.True(LeafKinds.IsKnown(k), k));
    }

    [Fact]
    public void A_leaf_of_a_kind_outside_the_list_is_refused_before_it_is_written()
    {
        var e = new AuditEvent { Id = "E1", ActorId = "A1", Action = "record.renamed", At = At };
        Assert.Throws<ArgumentException>(() => LedgerLeaves.Audit(e));
    }

    [Fact]
    public void A_leaf_keeps_its_bytes()
    {
        var e = new AuditEvent { Id = "E1", ActorId = "A1", Action = AuditActions.ContentView, RecordId = "R1", At = At };
        var pending = LedgerLeaves.Audit(e);
        Assert.Equal("record.view", pending.Kind);
        Assert.Equal("""{"actor":"A1","at":"2026-07-01T00:30:00.0000000Z","eventId":"E1","kind":"record.view","recordId":"R1","v":1}""",
            Encoding.UTF8.GetString(pending.Leaf));
    }
}
