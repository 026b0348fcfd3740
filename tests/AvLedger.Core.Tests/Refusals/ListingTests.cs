using AvLedger.Core.Refusals;
using AvLedger.Core.Sessions;
using AvLedger.Core.Text;

namespace AvLedger.Core.Tests.Refusals;

public sealed class ListingTests
{
    [Fact]
    public void Allowed_values_are_joined_as_each_language_joins_a_list()
    {
        var refusal = new Refusal(400, "invalid-input", "marker-category", new Listing(["force", "evidence"]));
        Assert.Equal("输入无效：关键内容类别须为：force、evidence。", refusal.Describe(Refusal.Chinese));
        Assert.Equal("Invalid input: The category must be one of: force, evidence.", refusal.Describe(Refusal.English));
    }

    [Fact]
    public void Enum_names_are_read_in_camel_case_and_numbers_are_not_names()
    {
        Assert.True(CamelNames.TryParse<KeyContent>(CamelNames.Of<KeyContent>()[0], out _));
        Assert.False(CamelNames.TryParse<KeyContent>("0", out _));
        Assert.False(CamelNames.TryParse<KeyContent>("noSuchCategory", out _));
        Assert.False(CamelNames.TryParse<KeyContent>(null, out _));
    }
}
