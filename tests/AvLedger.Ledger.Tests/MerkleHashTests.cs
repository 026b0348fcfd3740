using AvLedger.Ledger;

namespace AvLedger.Ledger.Tests;

/// <summary>The reference vectors published with RFC 6962 (same hashing as RFC 9162 §2.1).</summary>
public class MerkleHashTests
{
    static readonly string[] Leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void Empty_tree_hashes_to_sha256_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.Root([])));
    }

    [Fact]
    public void Tree_heads_match_the_reference_vectors_for_every_size()
    {
        var hashes = Leaves.Select(l => MerkleHash.Leaf(Convert.FromHexString(l))).ToList();
        for (var n = 1; n <= hashes.Count; n++)
            Assert.Equal(Roots[n - 1], Convert.ToHexStringLower(MerkleHash.Root(hashes.Take(n).ToList())));
    }

    [Fact]
    public void Leaf_and_node_hashes_are_domain_separated()
    {
        var a = new byte[32];
        var b = new byte[32];
        var concatenated = a.Concat(b).ToArray();
        Assert.NotEqual(MerkleHash.Leaf(concatenated), MerkleHash.Node(a, b));
    }
}
