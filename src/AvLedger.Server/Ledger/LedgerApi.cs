using AvLedger.Core.Accounts;
using AvLedger.Core.Ledger;
using AvLedger.Ledger;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Ledger;

/// <summary>HTTP face of <see cref="LedgerReads"/>: checkpoint and key for anyone signed in;
/// leaves and consistency proofs for auditors; a record's inclusion proof for whoever may see it.</summary>
public static class LedgerApi
{
    public static RouteGroupBuilder MapLedger(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/api/v1/ledger").RequireAuthorization();
        ledger.MapGet("/checkpoint", Checkpoint)
            .WithSummary("账本最新签名检查点")
            .WithDescription("C2SP 签名注记文本：日志名、树大小、根哈希和签名。")
            .Produces<string>(200, "text/plain");
        ledger.MapGet("/key", (NoteSigner signer) => TypedResults.Text(signer.VerifierKey + "\n", "text/plain"))
            .WithSummary("账本验签公钥")
            .WithDescription("C2SP 验签密钥（vkey），用于离线核验检查点。")
            .Produces<string>(200, "text/plain");
        var auditors = ledger.MapGroup("").RequireAuthorization(p => p.RequireRole(nameof(Role.Auditor)));
        auditors.MapGet("/leaves", Leaves)
            .WithSummary("账本叶子（审计人员）")
            .WithParameter("start", "起始叶子序号（含），从 0 开始")
            .WithParameter("end", "结束叶子序号（不含）；缺省时取到当前树大小，一次最多 1000 个");
        auditors.MapGet("/leaves/{index:long}/proof", LeafProof)
            .WithSummary("任一账本叶子的包含证明（审计人员）")
            .WithDescription("RFC 9162 包含证明、叶子内容（base64）、叶子哈希和最新签名检查点；审计查询每行的 leafIndex 即此处的 index。")
            .WithParameter("index", "叶子序号，从 0 开始");
        auditors.MapGet("/consistency", Consistency)
            .WithSummary("两个树大小之间的一致性证明（审计人员）")
            .WithDescription("RFC 9162 一致性证明：证明较晚的账本包含较早的账本，没有改写历史。")
            .WithParameter("first", "较早的树大小（≥ 1）")
            .WithParameter("second", "较晚的树大小");
        app.MapGet("/api/v1/records/{id}/proof", Proof).RequireAuthorization()
            .WithSummary("录像在账本中的包含证明")
            .WithDescription("RFC 9162 包含证明和最新签名检查点，可离线核验录像的哈希已写入账本。")
            .WithParameter("id", "录像编号");
        return ledger;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Checkpoint(LedgerReads ledger, CancellationToken ct)
    {
        var note = await ledger.CheckpointAsync(ct);
        return note.Refusal is { } refused ? Problems.From(refused) : TypedResults.Text(note.Value!, "text/plain; charset=utf-8");
    }

    static async Task<Results<Ok<LedgerReads.LeavesPage>, ProblemHttpResult>> Leaves(CurrentUser user, LedgerReads ledger, CancellationToken ct, long start = 0, long? end = null) =>
        (await ledger.LeavesAsync(user.Scope, start, end, ct)).AsOk();

    static async Task<Results<Ok<LedgerReads.LeafProof>, ProblemHttpResult>> LeafProof(long index, CurrentUser user, LedgerReads ledger, HttpContext http, CancellationToken ct)
    {
        var proof = await ledger.LeafProofAsync(user.Scope, index, ct);
        return proof.Refusal is { } refused ? Problems.From(refused, http.Response) : TypedResults.Ok(proof.Value!);
    }

    static async Task<Results<Ok<LedgerReads.ConsistencyProof>, ProblemHttpResult>> Consistency(CurrentUser user, LedgerReads ledger, long first, long second, CancellationToken ct) =>
        (await ledger.ConsistencyAsync(user.Scope, first, second, ct)).AsOk();

    static async Task<Results<Ok<LedgerReads.InclusionProof>, ProblemHttpResult>> Proof(string id, CurrentUser user, LedgerReads ledger, HttpContext http, CancellationToken ct)
    {
        var proof = await ledger.ProofAsync(user.Scope, id, ct);
        return proof.Refusal is { } refused ? Problems.From(refused, http.Response) : TypedResults.Ok(proof.Value!);
    }
}
