using System.Reflection;
using AvLedger.Core.Audit;
using AvLedger.Ledger;

namespace AvLedger.Core.Tests.Audit;

public sealed class EventNamesTests
{
    [Fact]
    public void Every_ledgered_event_kind_has_a_chinese_name()
    {
        var kinds = typeof(LeafKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.NotEmpty(kinds);
        Assert.Empty(kinds.Except(EventNames.Known));
        Assert.All(kinds, k => Assert.DoesNotContain(k, EventNames.Of(k), StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_kind_is_named_as_such_with_its_code()
    {
        Assert.Equal("其他事项（future.kind）", EventNames.Of("future.kind"));
    }
}
