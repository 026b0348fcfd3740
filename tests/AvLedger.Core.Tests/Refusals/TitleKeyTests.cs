using AvLedger.Core.Refusals;

namespace AvLedger.Core.Tests.Refusals;

/// <summary>One code said about different subjects keeps its code; a list is joined as each language joins one.</summary>
public sealed class TitleKeyTests
{
    [Fact]
    public void A_missing_clip_and_a_missing_original_share_their_code()
    {
        var original = new Refusal(500, "blob-missing", "scrub");
        var clip = new Refusal(500, "blob-missing", "ask-admin") { TitleKey = "blob-missing.clip" };
        Assert.Equal("原始文件缺失", original.Title(Refusal.Chinese));
        Assert.Equal("Clip file missing", clip.Title(Refusal.English));
        Assert.Equal("Ask an administrator to run scrub.", original.Detail(Refusal.English));
        Assert.Equal("请联系管理员。", clip.Detail(Refusal.Chinese));
        var directory = new Refusal(413, "too-large", "directory-mib", 5) { TitleKey = "too-large.file" };
        Assert.Equal("文件过大：导入文件不得超过 5 MiB。", directory.Describe(Refusal.Chinese));
    }

    [Fact]
    public void Listed_items_are_joined_in_the_readers_language()
    {
        var damaged = new Refusal(503, "ledger-damaged", null, new ListedItems(["a", "b"]));
        Assert.Equal("账本已停止签名，须由运维人员处理：a；b", damaged.Detail(Refusal.Chinese));
        Assert.Equal("a; b", damaged.Detail(Refusal.English));
    }
}
