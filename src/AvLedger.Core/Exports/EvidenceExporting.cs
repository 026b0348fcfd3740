using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Audit;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Jobs;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Exports;

/// <summary>Where a made package's file lies; the host keeps the files, the database their state.</summary>
public interface IPackageFiles
{
    bool Exists(string exportId);
    void Remove(string exportId);
}

/// <summary>Art. 15–16: evidence packages a court can verify without us. A legal officer
/// exports records within their scope; anyone exports what an approved external provision of theirs
/// covers. Built in the background; downloadable by the requester only, for a limited time, each
/// download counted, audited and ledgered.</summary>
public sealed class EvidenceExporting(AvLedgerDb db, IPackageFiles files, ContentRelease release)
{
    public const int MaxRecords = 500;
    public const string ExportJob = "export";
    public const string DownloadAction = AuditActions.PackageDownload;

    public sealed record NewExport(List<string>? RecordIds, string? SessionId, string? CaseNumber, string? Purpose, string? ProvisionId, bool? Copies = null);

    static Refusal Invalid(string reason, params object[] args) => new(400, "export-invalid", reason, args);

    /// <summary>The records a live provision grant of the person's covers.</summary>
    IQueryable<string> ProvisionRecords(Scope actor, string provisionId) => actor.Providable(db.Records, provisionId).Select(r => r.Id);

    /// <summary>Queues a package of what the person named, if every record in it is theirs to export.</summary>
    public async Task<Outcome<EvidenceExport>> CreateAsync(Scope actor, NewExport body, CancellationToken ct)
    {
        var now = actor.Now;
        var targets = (body.RecordIds is { Count: > 0 } ? 1 : 0) + (string.IsNullOrWhiteSpace(body.SessionId) ? 0 : 1) + (string.IsNullOrWhiteSpace(body.CaseNumber) ? 0 : 1);
        if (targets != 1) return Invalid("export-one-target");
        if (string.IsNullOrWhiteSpace(body.Purpose) || body.Purpose.Length > 2000) return Invalid("export-purpose");
        if (body.RecordIds is { Count: > 0 } given && (given.Count > MaxRecords || given.Any(i => !Ids.LooksValid(i)))) return Invalid("export-record-ids", MaxRecords);
        if (body.ProvisionId is not null && !Ids.LooksValid(body.ProvisionId)) return Refusal.NotFound;

        var legalOfficer = actor.Person.Has(Role.LegalOfficer);
        string? provisionId = null;
        if (body.ProvisionId is { } pid)
        {
            var provision = await db.AccessRequests.AsNoTracking().Where(r => r.Id == pid && r.Kind == AccessKind.Provide && r.RequesterId == actor.Id)
                .Select(r => new { r.Id, Approved = r.Decisions.Any(d => d.State == DecisionState.Approved) }).SingleOrDefaultAsync(ct);
            if (provision is null) return Refusal.NotFound;
            if (!provision.Approved) return new Refusal(409, "provision-not-approved");
            provisionId = provision.Id;
        }
        else if (!legalOfficer)
        {
            return new Refusal(403, "export-not-permitted");
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
            if (!Ids.LooksValid(sid)) return Refusal.NotFound;
            candidates = await db.Records.AsNoTracking().Where(r => r.SessionId == sid).Select(r => r.Id).OrderBy(i => i).ToListAsync(ct);
            // A session one may not know of does not exist.
            var known = await actor.Sessions(db.Sessions.AsNoTracking()).AnyAsync(s => s.Id == sid, ct)
                || (provisionId is not null && await ProvisionRecords(actor, provisionId).AnyAsync(i => candidates.Contains(i), ct));
            if (!known || candidates.Count == 0) return Refusal.NotFound;
            targetType = "session";
            target = sid;
        }
        else
        {
            var number = body.CaseNumber!.Trim();
            var visible = await actor.Cases(db.Cases.AsNoTracking(), db.Records, db.SessionOfficers).AnyAsync(c => c.Number == number, ct);
            candidates = await db.Records.AsNoTracking().LinkedToCase(db.CaseLinks, number).Select(r => r.Id).OrderBy(i => i).ToListAsync(ct);
            var known = visible || (provisionId is not null && await ProvisionRecords(actor, provisionId).AnyAsync(i => candidates.Contains(i), ct));
            if (!known || candidates.Count == 0) return Refusal.NotFound;
            targetType = "case";
            target = number;
        }
        if (candidates.Count > MaxRecords) return Invalid("export-too-many", MaxRecords, candidates.Count);

        // Scope inside the query: copyable by a legal officer, or covered by the provision.
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        if (legalOfficer)
            allowed.UnionWith(await actor.Records(db.Records.AsNoTracking(), Access.Copy).Where(r => candidates.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct));
        if (provisionId is not null)
            allowed.UnionWith(await ProvisionRecords(actor, provisionId).Where(i => candidates.Contains(i)).ToListAsync(ct));
        var purged = await db.Records.AsNoTracking().Where(r => candidates.Contains(r.Id) && r.PurgedAt != null).Select(r => r.Id).ToListAsync(ct);
        allowed.ExceptWith(purged);
        var missing = candidates.Where(c => !allowed.Contains(c)).ToList();
        if (missing.Count > 0)
            return new Refusal(403, "export-out-of-scope", null, missing.Count, new Listing(missing)) { Extensions = new Dictionary<string, object> { ["missing"] = missing } };

        var export = new EvidenceExport
        {
            Id = Ids.New(), RequesterId = actor.Id, ProvisionId = provisionId, Purpose = body.Purpose.Trim(), TargetType = targetType, Target = target,
            State = ExportState.Queued, CreatedAt = now, WithCopies = body.Copies == true,
        };
        export.Records.AddRange(candidates.Select(c => new EvidenceExportRecord { ExportId = export.Id, RecordId = c }));
        db.EvidenceExports.Add(export);
        db.Jobs.Add(Job.New(ExportJob, export.Id, now));
        await db.SaveChangesAsync(ct);
        return export;
    }

    /// <summary>A package in a list, with how many records it holds.</summary>
    public sealed record PackageRow(EvidenceExport Export, int Records);

    /// <summary>The person's own packages; for a deciding head, those made under the provisions their unit decides; and the provisions' recipients.</summary>
    public sealed record Overview(List<PackageRow> Mine, List<PackageRow> Decided, Dictionary<string, ProvisionDetails> Provisions);

    public static Task<List<PackageRow>> RowsAsync(IQueryable<EvidenceExport> packages, CancellationToken ct) =>
        packages.AsNoTracking().Select(x => new PackageRow(x, x.Records.Count)).ToListAsync(ct);

    public async Task<Overview> OverviewAsync(Scope actor, CancellationToken ct)
    {
        var mine = await RowsAsync(db.EvidenceExports.Where(x => x.RequesterId == actor.Id).OrderByDescending(x => x.Id).Take(200), ct);
        List<PackageRow> decided = [];
        if (actor.Person.Has(Role.DepartmentHead) && actor.Person.UnitId is { } unit)
        {
            var provisions = db.AccessDecisions.Where(d => d.DecidingUnitId == unit && d.Request!.Kind == AccessKind.Provide).Select(d => d.RequestId);
            decided = await RowsAsync(db.EvidenceExports.Where(x => x.ProvisionId != null && provisions.Contains(x.ProvisionId)).OrderByDescending(x => x.Id).Take(200), ct);
        }
        var ids = mine.Concat(decided).Where(x => x.Export.ProvisionId != null).Select(x => x.Export.ProvisionId!).Distinct().ToList();
        var details = await db.AccessRequests.AsNoTracking().Where(r => ids.Contains(r.Id) && r.Provision != null).ToDictionaryAsync(r => r.Id, r => r.Provision!, ct);
        return new Overview(mine, decided, details);
    }

    /// <summary>The one way a ready package expires: its file goes, then its state.</summary>
    public async Task ExpireAsync(string id, CancellationToken ct)
    {
        files.Remove(id);
        await db.EvidenceExports.Where(x => x.Id == id && x.State == ExportState.Ready)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, ExportState.Expired), ct);
    }

    /// <summary>A ready package past its time is expired on sight.</summary>
    async Task ExpireDueAsync(EvidenceExport x, DateTimeOffset now, CancellationToken ct)
    {
        if (x.State != ExportState.Ready || x.ExpiresAt > now) return;
        await ExpireAsync(x.Id, ct);
        x.State = ExportState.Expired;
    }

    /// <summary>One of the person's own packages (nobody else's exists for them).</summary>
    public async Task<EvidenceExport?> MineAsync(Scope actor, string id, CancellationToken ct)
    {
        var x = Ids.LooksValid(id) ? await db.EvidenceExports.Include(e => e.Records).SingleOrDefaultAsync(e => e.Id == id && e.RequesterId == actor.Id, ct) : null;
        if (x is not null) await ExpireDueAsync(x, actor.Now, ct);
        return x;
    }

    public async Task<List<EvidenceExport>> ListMineAsync(Scope actor, CancellationToken ct)
    {
        var list = await db.EvidenceExports.Include(e => e.Records).Where(e => e.RequesterId == actor.Id).OrderByDescending(e => e.Id).Take(200).ToListAsync(ct);
        foreach (var x in list) await ExpireDueAsync(x, actor.Now, ct);
        return list;
    }

    /// <summary>The person's ready package, its download counted, audited and ledgered before any byte goes out.</summary>
    public async Task<Outcome<EvidenceExport>> DownloadAsync(Scope actor, string id, int perHour, CancellationToken ct)
    {
        var x = await MineAsync(actor, id, ct);
        if (x is null) return Refusal.NotFound;
        if (x.State == ExportState.Expired) return new Refusal(410, "export-expired");
        if (x.State != ExportState.Ready) return new Refusal(409, "export-not-ready", x.State == ExportState.Failed ? "export-failed" : "export-pending");
        if (!files.Exists(x.Id)) return Refusal.NotFound;
        if (await release.CountCopyAsync(actor, DownloadAction, null, x.Id, perHour, ct) is { } tooMany) return tooMany;
        var e = new AuditEvent { Id = Ids.New(), At = actor.Now, LastAt = actor.Now, ActorId = actor.Id, Action = DownloadAction, SubjectId = x.Id, Requests = 1 };
        db.AuditEvents.Add(e);
        db.LedgerPending.Add(LedgerLeaves.ExportDownloaded(x, e.Id, actor.Now));
        x.Downloads++;
        await db.SaveChangesAsync(ct);
        return x;
    }

    /// <summary>A provision's requester and the heads who decide it follow its packages.</summary>
    public async Task<bool> FollowsProvisionAsync(Scope actor, string provisionId, CancellationToken ct)
    {
        if (!Ids.LooksValid(provisionId)) return false;
        var r = await db.AccessRequests.AsNoTracking().Include(q => q.Decisions).SingleOrDefaultAsync(q => q.Id == provisionId && q.Kind == AccessKind.Provide, ct);
        return r is not null && (r.RequesterId == actor.Id || r.Decisions.Any(actor.Decides));
    }

    /// <summary>The packages made under a provision, for those who follow it.</summary>
    public async Task<Outcome<List<EvidenceExport>>> ForProvisionAsync(Scope actor, string provisionId, CancellationToken ct)
    {
        if (!await FollowsProvisionAsync(actor, provisionId, ct)) return Refusal.NotFound;
        return await db.EvidenceExports.AsNoTracking().Include(e => e.Records).Where(e => e.ProvisionId == provisionId).OrderByDescending(e => e.Id).ToListAsync(ct);
    }

    public const long MaxReceiptSize = 20L * 1024 * 1024;
    static readonly string[] ReceiptTypes = ["application/pdf", "image/jpeg", "image/png"];
    public static Refusal ReceiptTooLarge { get; } = new(413, "receipt-too-large");
    public static Refusal ReceiptEmpty { get; } = new(400, "receipt-empty");

    /// <summary>Why the package takes no receipt of <paramref name="contentType"/>, or null; the type as stored otherwise.</summary>
    public static Outcome<string> ReceiptType(EvidenceExport x, string? contentType)
    {
        if (x.ProvisionId is null || x.ReadyAt is null) return new Refusal(409, "no-receipt-expected");
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type is not null && ReceiptTypes.Contains(type) ? type : new Refusal(415, "receipt-type");
    }

    /// <summary>The recipient's signed receipt, sealed by the host under <paramref name="sha256"/>, attached and ledgered.</summary>
    public async Task AttachReceiptAsync(Scope actor, EvidenceExport x, string sha256, long size, string type, string? fileName, CancellationToken ct)
    {
        x.ReceiptSha256 = sha256;
        x.ReceiptSize = size;
        x.ReceiptContentType = type;
        x.ReceiptFileName = fileName is { Length: > 0 and <= 255 } ? Path.GetFileName(fileName) : null;
        x.ReceiptAt = actor.Now;
        x.ReceiptById = actor.Id;
        db.LedgerPending.Add(LedgerLeaves.ExportReceipt(x, actor.Id, actor.Now));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A package's receipt, for those who follow its provision; null when there is none to see.</summary>
    public async Task<EvidenceExport?> WithReceiptAsync(Scope actor, string id, CancellationToken ct)
    {
        var x = Ids.LooksValid(id) ? await db.EvidenceExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) : null;
        return x?.ProvisionId is not null && x.ReceiptSha256 is not null && await FollowsProvisionAsync(actor, x.ProvisionId, ct) ? x : null;
    }
}
