using AvLedger.Core.Cases;
using AvLedger.Core.Refusals;

namespace AvLedger.Core.Tests.Cases;

/// <summary>A case's fields, checked the same way for the form, the API and the import.</summary>
public sealed class CaseRegisterTests
{
    [Theory]
    [InlineData(null, "t", "number-missing")]
    [InlineData("A/1", "t", "number-characters")]
    [InlineData("A#1", "t", "number-characters")]
    [InlineData("A1", " ", "title-missing")]
    public void A_case_needs_a_clean_number_and_a_title(string? number, string title, string reason) =>
        Assert.Equal(reason, CaseRegister.Check(number, title, null, null, null)?.Reason);

    [Fact]
    public void Long_fields_are_refused_and_good_ones_pass()
    {
        Assert.Equal("type-long", CaseRegister.Check("A1", "t", new string('x', 101), null, null)?.Reason);
        Assert.Equal("plates-parties-long", CaseRegister.Check("A1", "t", null, null, new string('x', 1001))?.Reason);
        Assert.Null(CaseRegister.Check("（2026）京01刑初1号", "盗窃案", "刑事", "京A12345", "张三"));
    }

    [Fact]
    public void An_import_line_names_the_problem_in_both_languages()
    {
        var bad = CaseRegister.Check("A\\1", "t", null, null, null)!;
        Assert.Equal("A case number cannot contain / \\ ? # or control characters.", bad.Detail(Refusal.English));
        Assert.Equal("案号不能包含 / \\ ? # 或控制字符。", bad.Detail(Refusal.Chinese));
        var refused = ImportRefusal.Of([new ImportLine(2, "x"), new ImportLine(5, "y")]);
        Assert.Equal("导入内容有误，未导入任何内容：共 2 行有误，见 lines。", refused.Describe(Refusal.Chinese));
        Assert.Equal(2, ((IReadOnlyList<ImportLine>)refused.Extensions!["lines"]).Count);
    }
}
