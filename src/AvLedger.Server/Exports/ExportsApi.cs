using AvLedger.Core.Scoping;
using System.Security.Cryptography;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Audit;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Exports;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Sessions;
using AvLedger.Server.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Exports;

/// <summary>Issue 7: evidence packages a court can verify without us. A legal officer exports records
/// within their scope; anyone exports what an approved external provision of theirs covers. Built in
/// the background; downloadable by the requester only, for a limited time, each download audited and
/// ledgered; the recipient's signed receipt comes back to the provision.</summary>
public static class ExportsApi
{
    public const int MaxRecords = 500;
    public const long MaxReceiptSize = 20L * 1024 * 1024;
    public const string DownloadAction = AuditActions.PackageDownload;
    static readonly string[] ReceiptTypes = ["application/pdf", "image/jpeg", "image/png"];

    public sealed record NewExport(List<string>? RecordIds, string? SessionId, string? CaseNumber, string? Purpose, string? ProvisionId, bool? Copies = null);
    public sealed record Created(string Id);
    public sealed record ReceiptView(string Sha256, long Size, string? FileName, string ContentType, DateTimeOffset At, string Url);
    public sealed record ExportView(string Id, ExportState State, int Progress, string? DownloadUrl, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt,
        DateTimeOffset? ExpiresAt, string Purpose, string? ProvisionId, string TargetType, string? Target, IReadOnlyList<string> RecordIds,
        string? ManifestSha256, string? PackageSha256, long? Size, int Downloads, string? Error, ReceiptView? Receipt, bool Copies);

    public static void MapExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/v1/exports").RequireAuthorization();
        exports.MapPost("/", CreateAsync);
        exports.MapGet("/", ListAsync);
        exports.MapGet("/{id}", GetAsync);
        exports.MapGet("/{id}/download", DownloadAsync);
        exports.MapPost("/{id}/receipt", UploadReceiptAsync);
        exports.MapGet("/{id}/receipt", ReceiptAsync);
        app.MapGet("/api/v1/provisions/{id}/exports", ForProvisionAsync).RequireAuthorization();
    }

    static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Invalid(string zh, string en) => Problems.Of(400, "export-invalid", "证据包请求无效", "Invalid export request", zh, en);

    public static ExportView View(EvidenceExport x, bool mine, DateTimeOffset now) => new(
        x.Id, x.State, x.Progress,
        mine && x.State == ExportState.Ready && x.ExpiresAt > now ? $"/api/v1/exports/{x.Id}/download" : null,
        RecordingTimes.ToChina(x.CreatedAt), x.ReadyAt is { } r ? RecordingTimes.ToChina(r) : null, x.ExpiresAt is { } e ? RecordingTimes.ToChina(e) : null,
        x.Purpose, x.ProvisionId, x.TargetType, x.Target, x.Records.Select(r => r.RecordId).Order(StringComparer.Ordinal).ToList(),
        x.ManifestSha256, x.PackageSha256, x.Size, x.Downloads, x.Error,
        x.ReceiptSha256 is { } sha ? new ReceiptView(sha, x.ReceiptSize ?? 0, x.ReceiptFileName, x.ReceiptContentType ?? "application/octet-stream",
            RecordingTimes.ToChina(x.ReceiptAt!.Value), $"/api/v1/exports/{x.Id}/receipt") : null, x.WithCopies);

    /// <summary>The live Provide grants of <paramref name="provisionId"/> held by <paramref name="user"/>: the records they cover.</summary>
    static IQueryable<string> ProvisionRecords(AvLedgerDb db, string provisionId, Account user, DateTimeOffset now) =>
        new Scope(user, now).Providable(db.Records, provisionId).Select(r => r.Id);

    public static async Task<IResult> CreateAsync(NewExport body, CurrentUser user, AvLedgerDb db, ExportSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var targets = (body.RecordIds is { Count: > 0 } ? 1 : 0) + (string.IsNullOrWhiteSpace(body.SessionId) ? 0 : 1) + (string.IsNullOrWhiteSpace(body.CaseNumber) ? 0 : 1);
        if (targets != 1)
            return Invalid("请给出且只给出一项：recordIds、sessionId 或 caseNumber。", "Give exactly one of recordIds, sessionId or caseNumber.");
        if (string.IsNullOrWhiteSpace(body.Purpose) || body.Purpose.Length > 2000)
            return Invalid("须填写用途（不超过 2000 字）。", "Give the purpose (at most 2000 characters).");
        if (body.RecordIds is { Count: > 0 } given && (given.Count > MaxRecords || given.Any(i => !Ids.LooksValid(i))))
            return Invalid($"recordIds 须为 1 至 {MaxRecords} 个记录编号。", $"recordIds must hold 1 to {MaxRecords} record ids.");
        if (body.ProvisionId is not null && !Ids.LooksValid(body.ProvisionId)) return Problems.NotFound();

        var legalOfficer = user.Account.Has(Role.LegalOfficer);
        string? provisionId = null;
        if (body.ProvisionId is { } pid)
        {
            var provision = await db.AccessRequests.AsNoTracking().Where(r => r.Id == pid && r.Kind == AccessKind.Provide && r.RequesterId == user.Id)
                .Select(r => new { r.Id, Approved = r.Decisions.Any(d => d.State == DecisionState.Approved) }).SingleOrDefaultAsync(ct);
            if (provision is null) return Problems.NotFound();
            if (!provision.Approved)
                return Problems.Of(409, "provision-not-approved", "对外提供尚未批准", "Provision not approved",
                    "该对外提供申请尚未获书面批准，不能生成证据包。", "The external provision has not been approved in writing; no package can be made.");
            provisionId = provision.Id;
        }
        else if (!legalOfficer)
        {
            return Problems.Of(403, "export-not-permitted", "无权导出证据包", "Not permitted to export",
                "证据包由法制员在职责范围内导出，或凭已批准的对外提供审批导出。", "Evidence packages are exported by a legal officer within scope, or under an approved external provision.");
        }

        // What the requester named, resolved to records.
        List<string> candidates;
        string targetType;
        string? target;
        if (body.RecordIds is { Count: > 0 } recordIds)
        {
            candidates = recordIds.Distinct().Order(StringComparer.Ordinal).ToList();
            targetType = "records";
            target = null;
        }
        else if (!string.IsNullOrWhiteSpace(body.SessionId))
        {
            var sid = body.SessionId.Trim();
            if (!Ids.LooksValid(sid)) return Problems.NotFound();
            candidates = await db.Records.AsNoTracking().Where(r => r.SessionId == sid).Select(r => r.Id).OrderBy(i => i).ToListAsync(ct);
            // A session one may not know of does not exist.
            var known = await db.Sessions.AsNoTracking().VisibleTo(user.Account).AnyAsync(s => s.Id == sid, ct)
                || (provisionId is not null && await ProvisionRecords(db, provisionId, user.Account, now).AnyAsync(i => candidates.Contains(i), ct));
            if (!known || candidates.Count == 0) return Problems.NotFound();
            targetType = "session";
            target = sid;
        }
        else
        {
            var number = body.CaseNumber!.Trim();
            var visible = await db.Cases.AsNoTracking().VisibleTo(db.Records, db.SessionOfficers, user.Account).AnyAsync(c => c.Number == number, ct);
            candidates = await db.Records.AsNoTracking().LinkedToCase(db.CaseLinks, number).Select(r => r.Id).OrderBy(i => i).ToListAsync(ct);
            var known = visible || (provisionId is not null && await ProvisionRecords(db, provisionId, user.Account, now).AnyAsync(i => candidates.Contains(i), ct));
            if (!known || candidates.Count == 0) return Problems.NotFound();
            targetType = "case";
            target = number;
        }
        if (candidates.Count > MaxRecords)
            return Invalid($"一个证据包至多 {MaxRecords} 个记录，所选共 {candidates.Count} 个。", $"A package holds at most {MaxRecords} records; this selection has {candidates.Count}.");

        // Scope inside the query: copyable by a legal officer, or covered by the provision.
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        if (legalOfficer)
            allowed.UnionWith(await db.Records.AsNoTracking().VisibleTo(user.Account, now, Access.Copy).Where(r => candidates.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct));
        if (provisionId is not null)
            allowed.UnionWith(await ProvisionRecords(db, provisionId, user.Account, now).Where(i => candidates.Contains(i)).ToListAsync(ct));
        var purged = await db.Records.AsNoTracking().Where(r => candidates.Contains(r.Id) && r.PurgedAt != null).Select(r => r.Id).ToListAsync(ct);
        allowed.ExceptWith(purged);
        var missing = candidates.Where(c => !allowed.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            var problem = Problems.Of(403, "export-out-of-scope", "所选记录超出导出范围", "Records outside the export's scope",
                $"以下 {missing.Count} 个记录不在您的职责范围内，也不在已批准的对外提供范围内（或已销毁）：{string.Join("、", missing)}。请就这些记录申请对外提供审批。",
                $"These {missing.Count} records are outside your scope and not covered by an approved provision (or were purged): {string.Join(", ", missing)}. Request an external provision for them.");
            problem.ProblemDetails.Extensions["missing"] = missing;
            return problem;
        }

        var export = new EvidenceExport
        {
            Id = Ids.New(), RequesterId = user.Id, ProvisionId = provisionId, Purpose = body.Purpose.Trim(), TargetType = targetType, Target = target,
            State = ExportState.Queued, CreatedAt = now, WithCopies = body.Copies == true,
        };
        export.Records.AddRange(candidates.Select(c => new EvidenceExportRecord { ExportId = export.Id, RecordId = c }));
        db.EvidenceExports.Add(export);
        db.Jobs.Add(ExportWorker.NewJob(export.Id, now));
        await db.SaveChangesAsync(ct);
        signal.Pulse();
        return TypedResults.Accepted($"/api/v1/exports/{export.Id}", new Created(export.Id));
    }

    /// <summary>A ready package past its time is expired: its file is removed.</summary>
    static async Task ExpireAsync(AvLedgerDb db, EvidenceExport x, AvLedgerOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (x.State != ExportState.Ready || x.ExpiresAt > now) return;
        await ExportWorker.ExpireAsync(db, options, x.Id, ct);
        x.State = ExportState.Expired;
    }

    public static async Task<EvidenceExport?> MineAsync(string id, CurrentUser user, AvLedgerDb db, IOptions<AvLedgerOptions> options, DateTimeOffset now, CancellationToken ct)
    {
        var x = Ids.LooksValid(id) ? await db.EvidenceExports.Include(e => e.Records).SingleOrDefaultAsync(e => e.Id == id && e.RequesterId == user.Id, ct) : null;
        if (x is not null) await ExpireAsync(db, x, options.Value, now, ct);
        return x;
    }

    static async Task<IResult> GetAsync(string id, CurrentUser user, AvLedgerDb db, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await MineAsync(id, user, db, options, now, ct) is { } x ? TypedResults.Ok(View(x, mine: true, now)) : Problems.NotFound();
    }

    static async Task<IResult> ListAsync(CurrentUser user, AvLedgerDb db, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var list = await db.EvidenceExports.Include(e => e.Records).Where(e => e.RequesterId == user.Id).OrderByDescending(e => e.Id).Take(200).ToListAsync(ct);
        foreach (var x in list) await ExpireAsync(db, x, options.Value, now, ct);
        return TypedResults.Ok(list.Select(x => View(x, mine: true, now)).ToList());
    }

    /// <summary>The package's bytes, to its requester only; the download is audited and ledgered before any byte goes out.</summary>
    static async Task<IResult> DownloadAsync(string id, HttpContext http, CurrentUser user, AvLedgerDb db, IOptions<AvLedgerOptions> options, ContentRelease release, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var x = await MineAsync(id, user, db, options, now, ct);
        if (x is null) return Problems.NotFound();
        if (x.State == ExportState.Expired)
            return Problems.Of(410, "export-expired", "证据包下载期限已过", "Package expired",
                "证据包的下载期限已过，文件已删除；如仍需要，请重新导出。", "The package's download period has passed and its file was removed; export again if still needed.");
        if (x.State != ExportState.Ready)
            return Problems.Of(409, "export-not-ready", "证据包尚未生成", "Package not ready",
                x.State == ExportState.Failed ? "证据包生成失败，请重新导出。" : "证据包正在生成，请稍后重试。",
                x.State == ExportState.Failed ? "The package could not be made; export again." : "The package is being made; try again shortly.");
        var path = PackageBuilder.PackagePath(options.Value, x.Id);
        if (!File.Exists(path)) return Problems.NotFound();
        if (await release.CountCopyAsync(user.Scope, DownloadAction, null, x.Id, options.Value.DownloadsPerHour, ct) is { } tooMany) return Problems.From(tooMany, http.Response);
        var e = new AuditEvent { Id = Ids.New(), At = now, LastAt = now, ActorId = user.Id, Action = DownloadAction, SubjectId = x.Id, Requests = 1 };
        db.AuditEvents.Add(e);
        db.LedgerPending.Add(LedgerLeaves.ExportDownloaded(x, e.Id, now));
        x.Downloads++;
        await db.SaveChangesAsync(ct);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return TypedResults.File(stream, "application/zip", $"evidence-{x.Id}.zip");
    }

    /// <summary>The recipient's signed receipt (a scan: PDF, JPEG or PNG), uploaded back by the requester and attached to the provision.</summary>
    static async Task<IResult> UploadReceiptAsync(string id, HttpRequest request, CurrentUser user, AvLedgerDb db, RecordVault vault,
        IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct, string? fileName = null)
    {
        var now = clock.GetUtcNow();
        var x = await MineAsync(id, user, db, options, now, ct);
        if (x is null) return Problems.NotFound();
        if (request.ContentLength is > MaxReceiptSize) return TooLarge();
        return (IResult?)await StoreReceiptAsync(x, request.Body, request.ContentType, fileName, user, db, vault, options.Value, now, ct) ?? TypedResults.Ok(View(x, mine: true, now));
    }

    static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge() =>
        Problems.Of(413, "receipt-too-large", "回执文件过大", "Receipt too large", "回执文件不超过 20 MiB。", "A receipt is at most 20 MiB.");

    /// <summary>Checks, seals and attaches a receipt to the requester's package; null when done, else the problem (nothing changed).</summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult?> StoreReceiptAsync(EvidenceExport x, Stream body, string? contentType, string? fileName,
        CurrentUser user, AvLedgerDb db, RecordVault vault, AvLedgerOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (x.ProvisionId is null || x.ReadyAt is null)
            return Problems.Of(409, "no-receipt-expected", "该证据包无需回执", "No receipt expected",
                "只有已生成的对外提供证据包才有接收回执。", "Only a made package under an external provision has a receipt.");
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is null || !ReceiptTypes.Contains(type))
            return Problems.Of(415, "receipt-type", "回执文件类型不支持", "Unsupported receipt type",
                "请上传签名回执的 PDF、JPEG 或 PNG 扫描件（Content-Type 标明类型）。", "Upload the signed receipt as PDF, JPEG or PNG (say which in Content-Type).");
        var temp = options.WorkPath($"receipt-{Ids.New()}");
        try
        {
            await using var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            var buffer = new byte[81920];
            int n;
            while ((n = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (file.Length + n > MaxReceiptSize) return TooLarge();
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            if (file.Length == 0) return Problems.Of(400, "receipt-empty", "回执文件为空", "Empty receipt", "请上传签名回执的扫描件。", "Upload the scan of the signed receipt.");
            file.Position = 0;
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            file.Position = 0;
            await vault.StoreDerivativeAsync(ReceiptKey(sha), file, file.Length, ct);
            x.ReceiptSha256 = sha;
            x.ReceiptSize = file.Length;
            x.ReceiptContentType = type;
            x.ReceiptFileName = fileName is { Length: > 0 and <= 255 } ? Path.GetFileName(fileName) : null;
            x.ReceiptAt = now;
            x.ReceiptById = user.Id;
            db.LedgerPending.Add(LedgerLeaves.ExportReceipt(x, user.Id, now));
            await db.SaveChangesAsync(ct);
            return null;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static string ReceiptKey(string sha256) => $"receipts/{sha256}";

    /// <summary>The receipt, for the package's requester and the heads who decided its provision.</summary>
    static async Task<IResult> ReceiptAsync(string id, CurrentUser user, AvLedgerDb db, RecordVault vault, CancellationToken ct)
    {
        var x = Ids.LooksValid(id) ? await db.EvidenceExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) : null;
        if (x?.ProvisionId is null || !await MayFollowProvisionAsync(db, x.ProvisionId, user, ct) || x.ReceiptSha256 is not { } sha) return Problems.NotFound();
        var stream = await vault.OpenAsync(ReceiptKey(sha), ct);
        if (stream is null) return Problems.NotFound();
        return TypedResults.File(stream, x.ReceiptContentType ?? "application/octet-stream", x.ReceiptFileName ?? $"receipt-{x.Id}");
    }

    static async Task<bool> MayFollowProvisionAsync(AvLedgerDb db, string provisionId, CurrentUser user, CancellationToken ct)
    {
        var r = await db.AccessRequests.AsNoTracking().Include(q => q.Decisions).SingleOrDefaultAsync(q => q.Id == provisionId && q.Kind == AccessKind.Provide, ct);
        return r is not null && (r.RequesterId == user.Id || r.Decisions.Any(d => AccessRequestsApi.Decides(user.Account, d)));
    }

    /// <summary>The packages made under a provision, for its requester and its deciding heads.</summary>
    static async Task<IResult> ForProvisionAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.LooksValid(id) || !await MayFollowProvisionAsync(db, id, user, ct)) return Problems.NotFound();
        var now = clock.GetUtcNow();
        var list = await db.EvidenceExports.AsNoTracking().Include(e => e.Records).Where(e => e.ProvisionId == id).OrderByDescending(e => e.Id).ToListAsync(ct);
        return TypedResults.Ok(list.Select(x => View(x, x.RequesterId == user.Id, now)).ToList());
    }
}
