using AvLedger.Core.Exports;
using AvLedger.Server.Auth;
using AvLedger.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Exports;

/// <summary>HTTP face of <see cref="EvidenceExporting"/>: evidence packages a court can verify without us.</summary>
public static class ExportsApi
{
    public sealed record Created(string Id);

    public static void MapExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/v1/exports").RequireAuthorization().WithParameter("id", "证据包编号");
        exports.MapPost("/", CreateAsync)
            .WithSummary("生成证据包（后台生成）")
            .WithDescription("包含录像、哈希、采集与保管记录、账本证明和离线核验页面（verify/verify.html）；返回 202 和证据包地址。");
        exports.MapGet("/", async (CurrentUser user, EvidenceExporting exporting, CancellationToken ct) =>
            TypedResults.Ok((await exporting.ListMineAsync(user.Scope, ct)).Select(x => ExportView.Of(x, mine: true, user.Scope.Now)).ToList()))
            .WithSummary("本人的证据包");
        exports.MapGet("/{id}", async Task<Results<Ok<ExportView>, ProblemHttpResult>> (string id, CurrentUser user, EvidenceExporting exporting, CancellationToken ct) =>
            await exporting.MineAsync(user.Scope, id, ct) is { } x ? TypedResults.Ok(ExportView.Of(x, mine: true, user.Scope.Now)) : Problems.From(Core.Refusals.Refusal.NotFound))
            .WithSummary("证据包状态");
        exports.MapGet("/{id}/download", DownloadAsync)
            .WithSummary("下载证据包（ZIP）")
            .WithDescription("下载即写审计，计入复制次数。")
            .Produces<Stream>(200, "application/zip");
        exports.MapPost("/{id}/receipt", UploadReceiptAsync)
            .WithSummary("上传接收回执")
            .WithDescription("接收方签收的回执：请求正文为回执文件的字节，存入保管库并记录哈希。")
            .WithParameter("fileName", "回执的文件名");
        exports.MapGet("/{id}/receipt", ReceiptAsync)
            .WithSummary("下载接收回执")
            .Produces<Stream>(200, "application/octet-stream");
        app.MapGet("/api/v1/provisions/{id}/exports", async (string id, CurrentUser user, EvidenceExporting exporting, CancellationToken ct) =>
            (await exporting.ForProvisionAsync(user.Scope, id, ct)).AsOk(list => list.Select(x => ExportView.Of(x, x.RequesterId == user.Id, user.Scope.Now)).ToList()))
            .RequireAuthorization()
            .WithSummary("对外提供申请的证据包")
            .WithParameter("id", "对外提供申请编号");
    }

    static async Task<Results<Accepted<Created>, ProblemHttpResult>> CreateAsync(EvidenceExporting.NewExport body, CurrentUser user, EvidenceExporting exporting, ExportSignal signal, CancellationToken ct)
    {
        var made = await exporting.CreateAsync(user.Scope, body, ct);
        if (made.Refusal is { } refused) return Problems.From(refused);
        signal.Pulse();
        return TypedResults.Accepted($"/api/v1/exports/{made.Value!.Id}", new Created(made.Value.Id));
    }

    /// <summary>The package's bytes, to its requester only; the download is audited and ledgered before any byte goes out.</summary>
    static async Task<IResult> DownloadAsync(string id, HttpContext http, CurrentUser user, EvidenceExporting exporting, PackageFiles files, IOptions<AvLedgerOptions> options, CancellationToken ct)
    {
        var download = await exporting.DownloadAsync(user.Scope, id, options.Value.DownloadsPerHour, ct);
        if (download.Refusal is { } refused) return Problems.From(refused, http.Response);
        var x = download.Value!;
        var stream = new FileStream(files.PathOf(x.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return TypedResults.File(stream, "application/zip", $"evidence-{x.Id}.zip");
    }

    /// <summary>The recipient's signed receipt (a scan: PDF, JPEG or PNG), uploaded back by the requester and attached to the provision.</summary>
    static async Task<Results<Ok<ExportView>, ProblemHttpResult>> UploadReceiptAsync(string id, HttpRequest request, CurrentUser user, EvidenceExporting exporting, ReceiptIntake intake,
        CancellationToken ct, string? fileName = null)
    {
        var x = await exporting.MineAsync(user.Scope, id, ct);
        if (x is null) return Problems.From(Core.Refusals.Refusal.NotFound);
        if (request.ContentLength is > EvidenceExporting.MaxReceiptSize) return Problems.From(EvidenceExporting.ReceiptTooLarge);
        return await intake.StoreAsync(user.Scope, x, request.Body, request.ContentType, fileName, ct) is { } refused
            ? Problems.From(refused)
            : TypedResults.Ok(ExportView.Of(x, mine: true, user.Scope.Now));
    }

    /// <summary>The receipt, for the package's requester and the heads who decided its provision.</summary>
    static async Task<IResult> ReceiptAsync(string id, CurrentUser user, EvidenceExporting exporting, RecordVault vault, CancellationToken ct)
    {
        var x = await exporting.WithReceiptAsync(user.Scope, id, ct);
        var stream = x is null ? null : await vault.OpenAsync(ReceiptIntake.ReceiptKey(x.ReceiptSha256!), ct);
        if (x is null || stream is null) return Problems.From(Core.Refusals.Refusal.NotFound);
        return TypedResults.File(stream, x.ReceiptContentType ?? "application/octet-stream", x.ReceiptFileName ?? $"receipt-{x.Id}");
    }
}
