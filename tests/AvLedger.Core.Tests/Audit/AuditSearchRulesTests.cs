using System.Text;
using AvLedger.Core.Audit;
using AvLedger.Core.Ledger;
using AvLedger.Ledger;

namespace AvLedger.Core.Tests.Audit;

/// <summary>The audit search's rules that need no database: Beijing days, the list of actions, and how a leaf's proof is
/// checked from its bytes (the database-backed filters are tested in Server.Tests/Audit against real SQLite).</summary>
public sealed class AuditSearchRulesTests
{
    [Fact]
    public void A_beijing_day_starts_at_16_00_utc_the_day_before()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero), AuditTrail.BeijingMidnight(new DateOnly(2026, 12, 3)).ToUniversalTime());
    }

    [Fact]
    public void Every_searchable_action_has_a_chinese_name_and_the_export_is_among_them()
    {
        Assert.All(AuditActions.Searchable, a => Assert.DoesNotContain("其他事项", EventNames.Of(a), StringComparison.Ordinal));
        Assert.Contains(AuditActions.TrailExported, AuditActions.Searchable);
        Assert.Equal("导出审计记录", EventNames.Of(AuditActions.TrailExported));
        Assert.Equal(AuditActions.Searchable.Length, AuditActions.Searchable.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void An_audit_leaf_names_its_event_for_the_search()
    {
        var e = new AuditEvent { Id = "E1", ActorId = "A1", Action = AuditActions.TrailExported, Detail = "action=record.view", At = DateTimeOffset.UnixEpoch };
        Assert.Equal("E1", LedgerLeaves.Audit(e).AuditEventId);
    }

    static async Task<(LedgerReads.LeafProof Proof, string Key)> ThreeLeavesAsync(int index)
    {
        var signer = NoteSigner.Generate("avledger.test/log");
        var leaves = new[] { "{\"a\":1}", "{\"b\":2}", "{\"c\":3}" }.Select(Encoding.UTF8.GetBytes).ToList();
        var hashes = leaves.Select(l => MerkleHash.Leaf(l)).ToList();
        var note = signer.Sign(new Checkpoint("avledger.test/log", 3, MerkleHash.Root(hashes)).ToBody());
        var proof = await MerkleTree.InclusionProofAsync(new Hashes(hashes), index, 3, default);
        return (new LedgerReads.LeafProof(index, "record.view", null, Convert.ToBase64String(leaves[index]), Convert.ToBase64String(hashes[index]), 3,
            [.. proof.Select(Convert.ToBase64String)], note), signer.VerifierKey);
    }

    sealed class Hashes(List<byte[]> leaves) : INodeSource
    {
        public ValueTask<byte[]> GetNodeAsync(int level, long index, CancellationToken ct)
        {
            var width = 1 << level;
            return ValueTask.FromResult(MerkleHash.Root(leaves.Skip((int)index * width).Take(width).ToList()));
        }
    }

    [Fact]
    public async Task A_leaf_proof_verifies_by_recomputing_the_signed_root()
    {
        var (proof, key) = await ThreeLeavesAsync(1);
        var check = LeafVerification.Of(proof, key);
        Assert.True(check.Verified);
        Assert.Equal(check.SignedRoot, check.RecomputedRoot);
    }

    [Fact]
    public async Task A_changed_leaf_a_wrong_proof_or_another_logs_signature_does_not_verify()
    {
        var (proof, key) = await ThreeLeavesAsync(2);
        var changed = proof with { Leaf = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"c\":4}")) };
        Assert.False(LeafVerification.Of(changed, key).Verified);
        Assert.False(LeafVerification.Of(changed with { LeafHash = Convert.ToBase64String(MerkleHash.Leaf(Encoding.UTF8.GetBytes("{\"c\":4}"))) }, key).RootMatches);
        Assert.False(LeafVerification.Of(proof with { LeafIndex = 1 }, key).Verified);
        Assert.False(LeafVerification.Of(proof, NoteSigner.Generate("avledger.test/log").VerifierKey).Verified);
    }
}
