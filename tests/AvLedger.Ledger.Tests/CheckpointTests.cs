using AvLedger.Ledger;

namespace AvLedger.Ledger.Tests;

/// <summary>C2SP tlog-checkpoint bodies: origin, decimal size, base64 root, extension lines ignored.</summary>
public class CheckpointTests
{
    static readonly byte[] Root = Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");

    [Fact]
    public void The_spec_example_body_parses()
    {
        Assert.True(Checkpoint.TryParse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", out var checkpoint));
        Assert.Equal(new Checkpoint("example.com/behind-the-sofa", 20852163, Root), checkpoint);
    }

    [Fact]
    public void A_checkpoint_prints_and_parses_back_to_itself()
    {
        var checkpoint = new Checkpoint("avledger.example/log", 0, MerkleHash.Root([]));
        var body = checkpoint.ToBody();
        Assert.Equal("avledger.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", body);
        Assert.True(Checkpoint.TryParse(body, out var parsed));
        Assert.Equal(checkpoint, parsed);
        Assert.Equal(body, parsed!.ToBody());
    }

    [Fact]
    public void Extension_lines_are_ignored()
    {
        Assert.True(Checkpoint.TryParse("log\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension one\nextension two\n", out var checkpoint));
        Assert.Equal(new Checkpoint("log", 7, Root), checkpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("log\n")]
    [InlineData("log\n7\n")]
    [InlineData("log\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")]
    [InlineData("\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\nseven\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n-7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n+7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n07\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n 7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n7\nnot base64!\n")]
    [InlineData("log\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n")]
    [InlineData("log\n7\nCsUY apGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n")]
    [InlineData("log\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IAAAA=\n")]
    [InlineData("log\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n")]
    [InlineData("log\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nextension\n")]
    [InlineData("log\r\n7\r\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\r\n")]
    public void Malformed_bodies_are_refused(string body)
    {
        Assert.False(Checkpoint.TryParse(body, out var checkpoint));
        Assert.Null(checkpoint);
    }

    [Fact]
    public void A_checkpoint_cannot_be_made_with_a_bad_origin_size_or_root()
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint("", 1, Root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("two\nlines", 1, Root));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("log", -1, Root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("log", 1, new byte[31]));
        var valid = new Checkpoint("log", 1, Root);
        Assert.Throws<ArgumentException>(() => valid with { RootHash = [] });
    }
}
