using System.Text.Json;
using AvLedger.Ledger;

namespace AvLedger.Ledger.Tests;

/// <summary>The transparency-dev/merkle proof vectors (testdata/merkle, Apache 2.0): a correct RFC 9162
/// verifier accepts every case marked wantErr: false and rejects every other.</summary>
public class MerkleTestVectorTests
{
    static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testdata", "merkle");

    public static TheoryData<string> InclusionCases() => Cases("inclusion");

    public static TheoryData<string> ConsistencyCases() => Cases("consistency");

    [Theory]
    [MemberData(nameof(InclusionCases))]
    public void Inclusion_vector_is_judged_as_published(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
        var c = json.RootElement;
        var accepted = MerkleVerifier.VerifyInclusion(
            Bytes(c, "leafHash"), Size(c, "leafIdx"), Size(c, "treeSize"), Proof(c), Bytes(c, "root"));
        Assert.Equal(!c.GetProperty("wantErr").GetBoolean(), accepted);
    }

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void Consistency_vector_is_judged_as_published(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
        var c = json.RootElement;
        var accepted = MerkleVerifier.VerifyConsistency(
            Size(c, "size1"), Size(c, "size2"), Proof(c), Bytes(c, "root1"), Bytes(c, "root2"));
        Assert.Equal(!c.GetProperty("wantErr").GetBoolean(), accepted);
    }

    [Fact]
    public void Every_vector_file_is_copied_to_the_test_output()
    {
        Assert.Equal(196, Directory.GetFiles(Root, "*.json", SearchOption.AllDirectories).Length);
        Assert.True(File.Exists(Path.Combine(Root, "LICENSE")));
    }

    static TheoryData<string> Cases(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, kind), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Root, file));
        return data;
    }

    // The vectors use Go's uint64; values past long.MaxValue (such as 0 - 1) arrive here as negative
    // numbers, which the verifiers must refuse just the same.
    static long Size(JsonElement c, string name) => unchecked((long)c.GetProperty(name).GetUInt64());

    static byte[] Bytes(JsonElement c, string name) => Convert.FromBase64String(c.GetProperty(name).GetString()!);

    // Go writes a nil slice as null: no proof at all.
    static byte[][] Proof(JsonElement c) =>
        c.GetProperty("proof") is { ValueKind: JsonValueKind.Array } proof
            ? proof.EnumerateArray().Select(p => Convert.FromBase64String(p.GetString()!)).ToArray()
            : [];
}
