using System.Text.RegularExpressions;
using AvLedger.Core.Refusals;

namespace AvLedger.Core.Tests.Refusals;

/// <summary>Every refusal is said in both languages, with the same values in each.</summary>
public sealed partial class RefusalTextTests
{
    [GeneratedRegex(@"\{(\d+)")]
    private static partial Regex Placeholder();

    [Fact]
    public void Chinese_and_English_hold_the_same_keys_and_placeholders()
    {
        var zh = Refusal.Keys(Refusal.Chinese).Order(StringComparer.Ordinal).ToList();
        var en = Refusal.Keys(Refusal.English).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(zh);
        Assert.Equal(zh, en);
        var text = new System.Resources.ResourceManager("AvLedger.Core.Refusals.RefusalText", typeof(Refusal).Assembly);
        foreach (var key in zh)
        {
            var zhSlots = Placeholder().Matches(text.GetString(key, Refusal.Chinese)!).Select(m => m.Groups[1].Value).Distinct().Order();
            var enSlots = Placeholder().Matches(text.GetString(key, Refusal.English)!).Select(m => m.Groups[1].Value).Distinct().Order();
            Assert.True(zhSlots.SequenceEqual(enSlots), $"{key}: the two languages name different values");
        }
    }

    [Fact]
    public void A_refusal_reads_in_the_asked_language_with_its_values()
    {
        var taken = Refusal.AlreadyExists("unit-code", "CQ-01");
        Assert.Equal("已存在：单位代码 CQ-01 已被使用。", taken.Describe(Refusal.Chinese));
        Assert.Equal("Already exists: Unit code CQ-01 is taken.", taken.Describe(Refusal.English));
        Assert.Equal("不能停用自己的账号", new Refusal(409, "cannot-disable-self").Describe(Refusal.Chinese));
    }

    [Fact]
    public void A_code_without_words_fails_loudly()
    {
        Assert.ThrowsAny<Exception>(() => new Refusal(400, "no-such-code").Title(Refusal.Chinese));
    }
}
