using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Exports;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Ledger;
using AvLedger.Server.Hosting;
using AvLedger.Server.Jobs;
using AvLedger.Server.Ledger;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Exports;

/// <summary>Builds one evidence package (docs/evidence-package.md): the human files (README, report and
/// its PDF, receipt form, verifier page) are made first and their hashes go into the manifest, which is
/// then sealed in the ledger; the ZIP is streamed to a private file — originals straight from the vault
/// into stored (uncompressed) entries, never whole in memory — with every proof against the one
/// checkpoint that covers the seal. Only the manifest and the ledger files are outside the manifest,
/// and each is checked another way.</summary>
public sealed class PackageBuilder(AvLedgerDb db, RecordVault vault, NoteSigner signer, LedgerSignal ledgerSignal, AvLedgerOptions options, TimeProvider clock, ILogger log)
{
    public const int FormatVersion = 2;
    public const string Format = "avledger-evidence-package/2";

    /// <summary>How long a ready package may be downloaded.</summary>
    public static readonly TimeSpan DownloadFor = TimeSpan.FromDays(7);

    /// <summary>How long (wall time) to wait for the ledger to sequence and checkpoint.</summary>
    static readonly TimeSpan LedgerWait = TimeSpan.FromSeconds(120);

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string PackagePath(AvLedgerOptions options, string exportId) => Path.Combine(options.DataDir, "exports", $"{exportId}.zip");

    public static string ChinaTime(DateTimeOffset t) => RecordingTimes.ToChina(t).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    static string Display(DateTimeOffset t) => RecordingTimes.ToChina(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    sealed record Row(string Id, string Sha256, long Size, string FileName, string Format, string? DeviceCode, string? OfficerBadge, string? UnitId,
        DateTimeOffset RecordedStart, DateTimeOffset RecordedEnd, DateTimeOffset SavedAt, string? ActivityType, string? SessionId,
        long? LedgerIndex, DateTimeOffset? PurgedAt, string UploadChannel, string RecordedStartSource, string? MediaKind, double? DurationSeconds);

    /// <summary>One event in a record's custody; <paramref name="ActorName"/> is who it was, as people read it
    /// (name and 执法证号), for the evidence list; the manifest keeps <paramref name="Actor"/>'s id.</summary>
    public sealed record Custody(string Kind, string At, string? Actor, long LeafIndex, string ActorName = "");

    public async Task BuildAsync(EvidenceExport export, CancellationToken ct)
    {
        var ids = export.Records.Select(r => r.RecordId).Order(StringComparer.Ordinal).ToList();
        // Everything ledgered before the export (each record's ingest, a download a moment ago) belongs
        // to the custody: wait until the leaves already written are sequenced, then read at one tree size.
        await PendingSequencedAsync(ct);
        var rows = await SequencedRecordsAsync(ids, ct);
        if (rows.FirstOrDefault(r => r.PurgedAt is not null) is { } purged)
            throw new InvalidOperationException($"record {purged.Id} was purged; its original no longer exists");
        var treeSize = await LedgerSequencer.TreeSizeAsync(db, ct);
        var custody = await CustodyAsync(rows, treeSize, ct);
        var work = WorkDir(options, export.Id);
        Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var people = await PeopleAsync(export, ct);
        var copies = export.WithCopies ? await CopiesAsync(export, rows, people, work, ct) : [];
        var manifest = await ManifestAsync(export, rows, people, custody, treeSize, ct);
        manifest["copies"] = new JsonArray([.. copies.Select(c => (JsonNode)new JsonObject
        {
            ["recordId"] = c.RecordId, ["path"] = c.Path, ["sha256"] = c.Sha256, ["size"] = c.Size, ["isRecord"] = false, ["derivativeId"] = c.DerivativeId,
        })]);
        // Everything a reader opens is sealed too, so it is made before the seal and says nothing the seal decides.
        var human = await HumanFilesAsync(export, manifest, people, custody, rows.Count, work, ct);
        manifest["files"] = new JsonArray([.. human.Select(h => (JsonNode)new JsonObject
        {
            ["path"] = h.Path, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(h.Bytes)), ["size"] = h.Bytes.Length,
        })]);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
        var manifestSha = Convert.ToHexStringLower(SHA256.HashData(manifestBytes));

        var seal = LedgerLeaves.ExportSealed(export, manifestSha, ids, clock.GetUtcNow());
        db.LedgerPending.Add(seal);
        export.ManifestSha256 = manifestSha;
        export.Progress = 10;
        await db.SaveChangesAsync(ct);
        ledgerSignal.Pulse();

        var (sealIndex, checkpoint) = await SealCheckpointAsync(seal.Leaf, treeSize, ct);
        export.SealIndex = sealIndex;
        export.TreeSize = checkpoint.TreeSize;
        export.Progress = 15;
        await db.SaveChangesAsync(ct);

        var indices = new SortedSet<long>(rows.Select(r => r.LedgerIndex!.Value).Concat(custody.Values.SelectMany(c => c.Select(x => x.LeafIndex)))) { sealIndex };
        var proofs = await ProofsAsync(indices, checkpoint.TreeSize, ct);
        await WriteZipAsync(export, rows, manifestBytes, checkpoint, proofs, human, copies, ct);
    }

    public sealed record HumanFile(string Path, byte[] Bytes);

    /// <summary>README, the evidence list in HTML and PDF, the receipt form and the verifier page, in package order.</summary>
    static async Task<List<HumanFile>> HumanFilesAsync(EvidenceExport export, JsonObject manifest, People people, Dictionary<string, List<Custody>> custody,
        int records, string work, CancellationToken ct)
    {
        var reportHtml = EvidenceReport.Html(export, manifest, people, custody);
        var pdf = await File.ReadAllBytesAsync(await Media.PdfPrinter.PrintAsync(reportHtml, work, ct), ct);
        return
        [
            new("README.txt", Encoding.UTF8.GetBytes(EvidenceReport.Readme(export, records))),
            new("report/report.html", Encoding.UTF8.GetBytes(reportHtml)),
            new("report/report.pdf", pdf),
            new("verify/verify.html", Encoding.UTF8.GetBytes(EvidenceReport.Verifier())),
            new("receipt/receipt.html", Encoding.UTF8.GetBytes(EvidenceReport.Receipt(export, manifest, people))),
        ];
    }

    /// <summary>The export's private working folder (report PDF, copies being made); the worker removes it after every attempt.</summary>
    public static string WorkDir(AvLedgerOptions options, string exportId) => options.WorkPath($"export-{exportId}");

    public sealed record Copy(string RecordId, string DerivativeId, string Path, string File, string Sha256, long Size);


    /// <summary>Watermarked viewing copies of the video records: recipient and package id burned in,
    /// re-encoded, labelled not a record; each is a derivative (kind WatermarkedCopy) of its original, ledgered.</summary>
    async Task<List<Copy>> CopiesAsync(EvidenceExport export, List<Row> rows, People people, string work, CancellationToken ct)
    {
        var who = people.Recipient is { } r ? $"{r.RecipientOrganisation} {r.RecipientPerson}" : $"{people.RequesterUnit} {people.RequesterName}";
        var textFile = Path.Combine(work, "watermark.txt");
        await File.WriteAllTextAsync(textFile, $"非执法音像记录 仅供 {who} 查看  证据包 {export.Id}", ct);
        var copies = new List<Copy>();
        foreach (var row in rows.Where(r => r.MediaKind == "video"))
        {
            var input = Path.Combine(work, $"{row.Id}.original");
            var output = Path.Combine(work, $"{row.Id}-watermarked.mp4");
            var format = Media.MediaFormat.ByName(row.Format) ?? throw new InvalidOperationException($"record {row.Id}: unknown format {row.Format}");
            JobWorker.CreatePrivate(output);
            var (sha, size) = await FromOriginal.MakeAsync(vault, row.Id, row.Sha256, input, output,
                () => Media.Watermark.CopyAsync(input, format, output, textFile, $"{Media.Clips.Label} 证据包 {export.Id} 查看副本", row.Id, row.Sha256, ct),
                RecordVault.ClipKey, ct);
            var now = clock.GetUtcNow();
            var derivative = new Core.Derivatives.Derivative
            {
                Id = Core.Ids.New(), OriginalId = row.Id, Kind = Core.Derivatives.DerivativeKind.WatermarkedCopy, State = Core.Derivatives.DerivativeState.Ready,
                Sha256 = sha, Size = size, CreatedById = export.RequesterId, CreatedAt = now,
            };
            db.Derivatives.Add(derivative);
            db.LedgerPending.Add(LedgerLeaves.DerivativeMade(derivative, row.Sha256, now));
            await db.SaveChangesAsync(ct);
            copies.Add(new Copy(row.Id, derivative.Id, $"copies/{row.Id}-watermarked.mp4", output, sha, size));
        }
        return copies;
    }

    async Task PendingSequencedAsync(CancellationToken ct)
    {
        var last = await db.LedgerPending.MaxAsync(p => (long?)p.Id, ct);
        var watch = Stopwatch.StartNew();
        while (last is not null && await db.LedgerPending.AnyAsync(p => p.Id <= last, ct))
        {
            if (watch.Elapsed > LedgerWait) throw new TimeoutException("earlier ledger leaves were not sequenced in time");
            ledgerSignal.Pulse();
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>The export's records; called once earlier leaves are sequenced, so each has its ingest leaf's
    /// index (a record and its ingest leaf are committed together, and sequenced together).</summary>
    async Task<List<Row>> SequencedRecordsAsync(List<string> ids, CancellationToken ct)
    {
        var rows = await db.Records.AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id)
            .Select(r => new Row(r.Id, r.Sha256, r.Size, r.FileName, r.Format, r.DeviceCode, r.OfficerBadge, r.UnitId, r.RecordedStart, r.RecordedEnd, r.SavedAt,
                r.ActivityType, r.SessionId, r.LedgerIndex, r.PurgedAt, r.UploadChannel, r.RecordedStartSource, r.MediaKind, r.DurationSeconds))
            .ToListAsync(ct);
        if (rows.Count != ids.Count) throw new InvalidOperationException("a record of the export no longer exists");
        if (rows.FirstOrDefault(r => r.LedgerIndex is null) is { } unsequenced)
            throw new InvalidOperationException($"record {unsequenced.Id} is not in the ledger");
        return rows;
    }

    async Task<Dictionary<string, List<Custody>>> CustodyAsync(List<Row> rows, long treeSize, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var stored = rows.Select(r => r.LedgerIndex!.Value).ToList();
        var leaves = await db.LedgerLeaves.AsNoTracking()
            .Where(l => l.Index < treeSize && ((l.RecordId != null && ids.Contains(l.RecordId)) || stored.Contains(l.Index)))
            .OrderBy(l => l.Index).Select(l => new { l.Index, l.Kind, l.Leaf, l.RecordId }).ToListAsync(ct);
        var byIndex = rows.ToDictionary(r => r.LedgerIndex!.Value, r => r.Id);
        var result = rows.ToDictionary(r => r.Id, _ => new List<Custody>());
        foreach (var l in leaves)
        {
            var recordId = l.RecordId ?? byIndex.GetValueOrDefault(l.Index);
            if (recordId is null || !result.TryGetValue(recordId, out var list)) continue;
            var body = JsonNode.Parse(l.Leaf)!.AsObject();
            var at = body["at"]?.GetValue<string>() ?? body["savedAt"]?.GetValue<string>();
            var actor = (body["actor"] ?? body["by"] ?? body["uploadedBy"])?.GetValue<string>();
            list.Add(new Custody(l.Kind, at is null ? "" : ChinaTime(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)), actor, l.Index));
        }
        var actors = result.Values.SelectMany(c => c).Select(c => c.Actor).OfType<string>().Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => actors.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Badge is null ? a.DisplayName : $"{a.DisplayName}（执法证号 {a.Badge}）", ct);
        return result.ToDictionary(r => r.Key, r => r.Value.Select(c => c with
        {
            ActorName = c.Actor is null ? "系统" : names.GetValueOrDefault(c.Actor) ?? c.Actor,
        }).ToList());
    }

    public sealed record People(string RequesterName, string? RequesterBadge, string? RequesterUnit, string? ApproverName, string? ApprovalNumber,
        ProvisionDetails? Recipient);

    async Task<People> PeopleAsync(EvidenceExport export, CancellationToken ct)
    {
        var requester = await db.Accounts.AsNoTracking().Where(a => a.Id == export.RequesterId)
            .Select(a => new { a.Id, a.DisplayName, a.Badge, Unit = db.Units.Where(u => u.Id == a.UnitId).Select(u => u.Name).FirstOrDefault() }).SingleAsync(ct);
        if (export.ProvisionId is null) return new People(requester.DisplayName, requester.Badge, requester.Unit, null, null, null);
        var provision = await db.AccessRequests.AsNoTracking().Include(r => r.Decisions).SingleAsync(r => r.Id == export.ProvisionId, ct);
        var approved = provision.Decisions.Where(d => d.State == DecisionState.Approved).OrderBy(d => d.DecidedAt).ToList();
        var approverIds = approved.Select(d => d.ApproverId).ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => approverIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, ct);
        return new People(requester.DisplayName, requester.Badge, requester.Unit,
            approved.Count == 0 ? null : string.Join("、", approved.Select(d => names.GetValueOrDefault(d.ApproverId ?? "", "?"))),
            approved.Count == 0 ? null : string.Join("、", approved.Select(d => d.Number)),
            provision.Provision);
    }

    async Task<JsonObject> ManifestAsync(EvidenceExport export, List<Row> rows, People people, Dictionary<string, List<Custody>> custody, long treeSize, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var sessions = rows.Where(r => r.SessionId is not null).Select(r => r.SessionId!).Distinct().ToList();
        var links = await db.CaseLinks.AsNoTracking()
            .Where(l => (l.RecordId != null && ids.Contains(l.RecordId)) || (l.SessionId != null && sessions.Contains(l.SessionId)))
            .Select(l => new { l.RecordId, l.SessionId, l.Case!.Number }).ToListAsync(ct);
        JsonObject? approver = null;
        if (export.ProvisionId is not null)
        {
            var decision = await db.AccessDecisions.AsNoTracking().Where(d => d.RequestId == export.ProvisionId && d.State == DecisionState.Approved)
                .OrderBy(d => d.DecidedAt).FirstOrDefaultAsync(ct);
            if (decision is not null)
                approver = new JsonObject { ["id"] = decision.ApproverId, ["name"] = people.ApproverName, ["number"] = people.ApprovalNumber };
        }
        var requester = await db.Accounts.AsNoTracking().Where(a => a.Id == export.RequesterId).Select(a => a.UnitId).SingleAsync(ct);
        var records = new JsonArray();
        foreach (var r in rows)
        {
            var numbers = links.Where(l => l.RecordId == r.Id || (r.SessionId is not null && l.SessionId == r.SessionId)).Select(l => l.Number).Distinct().Order(StringComparer.Ordinal);
            records.Add(new JsonObject
            {
                ["id"] = r.Id,
                ["path"] = OriginalPath(r.Id, r.Format),
                ["sha256"] = r.Sha256,
                ["size"] = r.Size,
                ["fileName"] = r.FileName,
                ["deviceCode"] = r.DeviceCode,
                ["officerBadge"] = r.OfficerBadge,
                ["unitId"] = r.UnitId,
                ["recordedStart"] = ChinaTime(r.RecordedStart),
                ["recordedEnd"] = ChinaTime(r.RecordedEnd),
                ["savedAt"] = ChinaTime(r.SavedAt),
                ["activityType"] = r.ActivityType,
                ["sessionId"] = r.SessionId,
                ["caseNumbers"] = new JsonArray([.. numbers.Select(n => JsonValue.Create(n))]),
                ["ledgerIndex"] = r.LedgerIndex,
                ["custody"] = new JsonArray([.. custody[r.Id].Select(c => (JsonNode)new JsonObject
                {
                    ["kind"] = c.Kind, ["at"] = c.At, ["actor"] = c.Actor, ["leafIndex"] = c.LeafIndex,
                })]),
            });
        }
        return new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = FormatVersion,
            ["packageId"] = export.Id,
            ["createdAt"] = ChinaTime(export.CreatedAt),
            ["purpose"] = export.Purpose,
            ["requester"] = new JsonObject { ["id"] = export.RequesterId, ["name"] = people.RequesterName, ["badge"] = people.RequesterBadge, ["unit"] = people.RequesterUnit ?? requester },
            ["approver"] = approver,
            ["recipient"] = people.Recipient is { } p
                ? new JsonObject { ["organisation"] = p.RecipientOrganisation, ["person"] = p.RecipientPerson, ["legalBasis"] = p.LegalBasis }
                : null,
            ["provisionId"] = export.ProvisionId,
            ["ledger"] = new JsonObject { ["origin"] = signer.Name, ["treeSize"] = treeSize, ["keyName"] = signer.Name },
            ["records"] = records,
            ["copies"] = new JsonArray(),
        };
    }

    /// <summary>The extension is the format recognised from the content at ingest, never the uploader's file name
    /// (which could say .hta or .html); a format this build no longer knows gets none.</summary>
    public static string OriginalPath(string recordId, string format) =>
        $"originals/{recordId}{Media.MediaFormat.ByName(format)?.Extension ?? ""}";

    /// <summary>Waits (wall time: the ledger worker runs on real time) until the seal is sequenced and a checkpoint covers it.</summary>
    async Task<(long SealIndex, LedgerCheckpoint Checkpoint)> SealCheckpointAsync(byte[] sealLeaf, long from, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        long? sealIndex = null;
        while (true)
        {
            if (sealIndex is null)
            {
                var seals = await db.LedgerLeaves.AsNoTracking().Where(l => l.Index >= from && l.Kind == LeafKinds.ExportSealed)
                    .Select(l => new { l.Index, l.Leaf }).ToListAsync(ct);
                sealIndex = seals.FirstOrDefault(s => s.Leaf.AsSpan().SequenceEqual(sealLeaf))?.Index;
            }
            if (sealIndex is { } index
                && await db.LedgerCheckpoints.AsNoTracking().Where(c => c.TreeSize > index).OrderBy(c => c.TreeSize).FirstOrDefaultAsync(ct) is { } checkpoint)
                return (index, checkpoint);
            if (watch.Elapsed > LedgerWait) throw new TimeoutException("the seal was not sequenced and checkpointed in time");
            ledgerSignal.Pulse();
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    async Task<JsonObject> ProofsAsync(SortedSet<long> indices, long treeSize, CancellationToken ct)
    {
        var list = indices.ToList();
        var leaves = new Dictionary<long, byte[]>();
        foreach (var chunk in list.Chunk(500))
        {
            var c = chunk.ToList();
            foreach (var l in await db.LedgerLeaves.AsNoTracking().Where(l => c.Contains(l.Index)).Select(l => new { l.Index, l.Leaf }).ToListAsync(ct))
                leaves[l.Index] = l.Leaf;
        }
        var array = new JsonArray();
        foreach (var i in list)
        {
            var proof = await LedgerProofs.InclusionAsync(db, i, treeSize, ct);
            array.Add(new JsonObject
            {
                ["leafIndex"] = i,
                ["leaf"] = Convert.ToBase64String(leaves[i]),
                ["hashes"] = new JsonArray([.. proof.Select(h => JsonValue.Create(Convert.ToBase64String(h)))]),
            });
        }
        var root = await LedgerProofs.RootAsync(db, treeSize, ct);
        return new JsonObject { ["treeSize"] = treeSize, ["rootHash"] = Convert.ToBase64String(root), ["leaves"] = array };
    }

    async Task WriteZipAsync(EvidenceExport export, List<Row> rows, byte[] manifestBytes, LedgerCheckpoint checkpoint, JsonObject proofs,
        List<HumanFile> human, List<Copy> copies, CancellationToken ct)
    {
        var final = PackagePath(options, export.Id);
        var dir = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var part = final + ".part";
        var stamp = RecordingTimes.ToChina(export.CreatedAt);
        try
        {
            var total = Math.Max(1, rows.Sum(r => r.Size));
            long copied = 0;
            var lastProgress = export.Progress;
            await using (var file = new FileStream(part, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.ReadWrite, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
            {
                async Task TextAsync(string path, string text) => await BytesAsync(path, Encoding.UTF8.GetBytes(text));
                async Task BytesAsync(string path, byte[] bytes)
                {
                    var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                    entry.LastWriteTime = stamp;
                    await using var s = await entry.OpenAsync(ct);
                    await s.WriteAsync(bytes, ct);
                }
                await BytesAsync("README.txt", human.Single(h => h.Path == "README.txt").Bytes);
                await BytesAsync("manifest.json", manifestBytes);
                foreach (var r in rows)
                {
                    var entry = zip.CreateEntry(OriginalPath(r.Id, r.Format), CompressionLevel.NoCompression);
                    entry.LastWriteTime = stamp;
                    // Bit-exact is checked, not assumed: the bytes that go out must hash to what was ingested.
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    try
                    {
                        await using var source = await vault.OpenAsync(RecordVault.OriginalKey(r.Sha256), ct)
                            ?? throw new InvalidOperationException($"record {r.Id}: original is missing");
                        await using var target = await entry.OpenAsync(ct);
                        var buffer = new byte[1024 * 1024];
                        int n;
                        while ((n = await source.ReadAsync(buffer, ct)) > 0)
                        {
                            hash.AppendData(buffer, 0, n);
                            await target.WriteAsync(buffer.AsMemory(0, n), ct);
                            copied += n;
                            var progress = 15 + (int)(80 * copied / total);
                            if (progress >= lastProgress + 2)
                            {
                                lastProgress = progress;
                                await db.EvidenceExports.Where(x => x.Id == export.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Progress, progress), ct);
                            }
                        }
                    }
                    catch (BlobDamagedException e)
                    {
                        // Only the vault's stream throws this: a blob that fails authentication is the record's damaged original.
                        throw new InvalidDataException($"record {r.Id}: the original in the vault is damaged ({e.Message}); the package was not made", e);
                    }
                    if (Convert.ToHexStringLower(hash.GetHashAndReset()) != r.Sha256)
                        throw new InvalidDataException($"record {r.Id}: the original read from the vault does not match its SHA-256; the package was not made");
                }
                await TextAsync("ledger/checkpoint.txt", checkpoint.Note);
                await TextAsync("ledger/key.txt", signer.VerifierKey + "\n");
                await BytesAsync("ledger/proofs.json", JsonSerializer.SerializeToUtf8Bytes(proofs, Json));
                foreach (var h in human.Where(h => h.Path != "README.txt"))
                    await BytesAsync(h.Path, h.Bytes);
                foreach (var c in copies)
                {
                    var entry = zip.CreateEntry(c.Path, CompressionLevel.NoCompression);
                    entry.LastWriteTime = stamp;
                    await using var s = await entry.OpenAsync(ct);
                    await using var f = File.OpenRead(c.File);
                    await f.CopyToAsync(s, 1024 * 1024, ct);
                }
            }
            File.Move(part, final, overwrite: true);
            string sha;
            long size;
            await using (var made = File.OpenRead(final))
            {
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(made, ct));
                size = made.Length;
            }
            var now = clock.GetUtcNow();
            export.PackageSha256 = sha;
            export.Size = size;
            export.State = ExportState.Ready;
            export.Progress = 100;
            export.ReadyAt = now;
            export.ExpiresAt = now + DownloadFor;
            await db.SaveChangesAsync(ct);
            log.LogInformation("Evidence package {ExportId} ready: {Records} records, {Size} bytes", export.Id, rows.Count, size);
        }
        finally
        {
            File.Delete(part);
        }
    }
}
