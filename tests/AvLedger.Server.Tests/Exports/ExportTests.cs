using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Ledger;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Exports;

public sealed class ExportTestsOnSqlite(SqliteFactory factory) : ExportTests<SqliteFactory>(factory);

public sealed class ExportTestsOnPostgres(PostgresFactory factory) : ExportTests<PostgresFactory>(factory);

/// <summary>Evidence packages a court can verify without us — checked here the way an
/// outside verifier would, with nothing but the package and the ledger library.</summary>
public abstract class ExportTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{

    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    async Task<(string Id, string Sha256, byte[] Bytes)> UploadAsync(HttpClient client, AvLedgerFactory.Person p, int seconds = 1, string? fileName = null)
    {
        var bytes = await Tus.NewSampleAsync(seconds, factory.Clock.GetUtcNow().AddMinutes(-30));
        var status = await Tus.UploadAsync(client, bytes, 256 * 1024, fileName ?? $"{p.DeviceCode}_{p.Badge}_20261120093000.MP4", ("deviceCode", p.DeviceCode), ("officerBadge", p.Badge));
        return (status.RecordId!, Tus.Sha256(bytes), bytes);
    }

    static async Task<string> ExportAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/exports", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    /// <summary>Polls the export until it settles, returning every state seen on the way; with <paramref name="clock"/>,
    /// moves the server's clock between polls (job retries wait on it).</summary>
    static async Task<(JsonElement Final, List<string> States)> SettledAsync(HttpClient client, string id, Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null)
    {
        var states = new List<string>();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync($"/api/v1/exports/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var view = await JsonAsync(response);
            var state = view.GetProperty("state").GetString()!;
            if (states.Count == 0 || states[^1] != state) states.Add(state);
            if (state is "ready" or "failed") return (view, states);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"export {id} still {state}");
            clock?.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(200);
        }
    }

    static byte[] Entry(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(path);
        Assert.True(entry is not null, $"the package has no {path}");
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>What docs/evidence-package.md says a verifier checks, done here with AvLedger.Ledger alone.</summary>
    static JsonElement VerifyPackage(ZipArchive zip, string packageId)
    {
        var manifestBytes = Entry(zip, "manifest.json");
        var manifest = JsonDocument.Parse(manifestBytes).RootElement;
        Assert.Equal("avledger-evidence-package/2", manifest.GetProperty("format").GetString());
        Assert.Equal(2, manifest.GetProperty("formatVersion").GetInt32());
        Assert.Equal(packageId, manifest.GetProperty("packageId").GetString());

        // 0. Every file but the manifest and the ledger's own is sealed in the manifest, and there is nothing else.
        string[] human = ["README.txt", "report/report.html", "report/report.pdf", "verify/verify.html", "receipt/receipt.html"];
        var files = manifest.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal(human.Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, file) in files)
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(Entry(zip, path))));
        var listed = manifest.GetProperty("records").EnumerateArray().Concat(manifest.GetProperty("copies").EnumerateArray()).Select(r => r.GetProperty("path").GetString()!)
            .Concat(files.Keys).Concat(["manifest.json", "ledger/checkpoint.txt", "ledger/key.txt", "ledger/proofs.json"]);
        Assert.Equal(listed.Order(StringComparer.Ordinal), zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        // 1. The checkpoint's signature verifies with the key in the package.
        var key = Encoding.UTF8.GetString(Entry(zip, "ledger/key.txt")).Trim();
        var note = Encoding.UTF8.GetString(Entry(zip, "ledger/checkpoint.txt"));
        Assert.True(new NoteVerifier(key).TryVerify(note, out var body));
        Assert.True(Checkpoint.TryParse(body, out var checkpoint));
        // 2. Its size and root are the proofs'.
        var proofs = JsonDocument.Parse(Entry(zip, "ledger/proofs.json")).RootElement;
        Assert.Equal(checkpoint!.TreeSize, proofs.GetProperty("treeSize").GetInt64());
        Assert.Equal(Convert.ToBase64String(checkpoint.RootHash), proofs.GetProperty("rootHash").GetString());
        // 3. Every proof reproduces the root.
        var leaves = new Dictionary<long, JsonElement>();
        foreach (var l in proofs.GetProperty("leaves").EnumerateArray())
        {
            var index = l.GetProperty("leafIndex").GetInt64();
            var leaf = Convert.FromBase64String(l.GetProperty("leaf").GetString()!);
            var hashes = l.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
            Assert.True(MerkleVerifier.VerifyInclusion(MerkleHash.Leaf(leaf), index, checkpoint.TreeSize, hashes, checkpoint.RootHash), $"leaf {index} does not verify");
            leaves[index] = JsonDocument.Parse(leaf).RootElement;
        }
        // 4. The seal commits to the manifest's bytes.
        var seal = Assert.Single(leaves.Values, l => l.GetProperty("kind").GetString() == "export.sealed");
        Assert.Equal(packageId, seal.GetProperty("packageId").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), seal.GetProperty("manifestSha256").GetString());
        // 5. Each original is bit-exact, stored (not deflated), and its ingest leaf and custody are proved.
        foreach (var r in manifest.GetProperty("records").EnumerateArray())
        {
            var path = r.GetProperty("path").GetString()!;
            var entry = zip.GetEntry(path)!;
            Assert.Equal(entry.Length, entry.CompressedLength);
            var bytes = Entry(zip, path);
            Assert.Equal(r.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(r.GetProperty("size").GetInt64(), bytes.LongLength);
            var stored = leaves[r.GetProperty("ledgerIndex").GetInt64()];
            Assert.Equal("record.stored", stored.GetProperty("kind").GetString());
            Assert.Equal(r.GetProperty("id").GetString(), stored.GetProperty("recordId").GetString());
            Assert.Equal(r.GetProperty("sha256").GetString(), stored.GetProperty("sha256").GetString());
            Assert.Equal(r.GetProperty("size").GetInt64(), stored.GetProperty("size").GetInt64());
            foreach (var c in r.GetProperty("custody").EnumerateArray())
                Assert.Equal(c.GetProperty("kind").GetString(), leaves[c.GetProperty("leafIndex").GetInt64()].GetProperty("kind").GetString());
        }
        return manifest;
    }

    [Fact]
    public async Task A_legal_officer_exports_records_in_scope_and_the_package_verifies_on_its_own()
    {
        var officer = await factory.PersonAsync(Role.Officer);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        var other = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var own = await factory.ClientAsync(officer);
        var first = await UploadAsync(own, officer, 1);
        var second = await UploadAsync(own, officer, 2);
        using var client = await factory.ClientAsync(legal);
        // A download before the export belongs to the first record's chain of custody.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/records/{first.Id}/download")).StatusCode);

        var id = await ExportAsync(client, new { recordIds = new[] { first.Id, second.Id }, purpose = "行政复议举证（内部证据提取）" });
        var (view, states) = await SettledAsync(client, id);
        Assert.Equal("ready", view.GetProperty("state").GetString());
        Assert.Equal(100, view.GetProperty("progress").GetInt32());
        Assert.All(states, s => Assert.Contains(s, new[] { "queued", "running", "ready" }));
        var url = view.GetProperty("downloadUrl").GetString()!;
        Assert.Equal($"/api/v1/exports/{id}/download", url);

        // Nobody else may fetch it, or know it exists.
        using (var stranger = await factory.ClientAsync(other))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/exports/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(url)).StatusCode);
        }

        using var download = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        var package = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(view.GetProperty("packageSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(package)));
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        var manifest = VerifyPackage(zip, id);

        // The offline verifier a court would run, with the agency's key pinned, accepts it as it came, and names
        // a rewritten evidence list or a changed original.
        var agencyKey = factory.Services.GetRequiredService<NoteSigner>().VerifierKey;
        var path = Path.Combine(Path.GetTempPath(), $"evidence-{id}.zip");
        await File.WriteAllBytesAsync(path, package);
        try
        {
            var verdict = await AvLedger.Verify.PackageVerifier.VerifyAsync(path, agencyKey);
            Assert.True(verdict.Passed, verdict.ToText());
            var rewritten = Verify.TestPackages.Tampered(path, Path.GetTempPath(), $"evidence-{id}-report", files => files["report/report.html"] =
                Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["report/report.html"]).Replace(first.Sha256, second.Sha256, StringComparison.Ordinal)));
            try
            {
                var refusedReport = await AvLedger.Verify.PackageVerifier.VerifyAsync(rewritten, agencyKey);
                Assert.Equal(["report/report.html"], refusedReport.Failures.Select(f => f.Subject));
            }
            finally
            {
                File.Delete(rewritten);
            }
            var tampered = (byte[])package.Clone();
            // Originals are stored, not deflated: a stretch from the middle of the first one is in the ZIP as it is.
            var at = package.AsSpan().IndexOf(first.Bytes.AsSpan(first.Bytes.Length / 2, 64));
            Assert.True(at > 0);
            tampered[at] ^= 0x01;
            await File.WriteAllBytesAsync(path, tampered);
            var refused = await AvLedger.Verify.PackageVerifier.VerifyAsync(path, agencyKey);
            Assert.False(refused.Passed);
            Assert.True(refused.Failures.Any(f => f.Subject == $"originals/{first.Id}.mp4"), refused.ToText());
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal("行政复议举证（内部证据提取）", manifest.GetProperty("purpose").GetString());
        Assert.Equal(legal.DisplayName, manifest.GetProperty("requester").GetProperty("name").GetString());
        Assert.Equal(legal.Badge, manifest.GetProperty("requester").GetProperty("badge").GetString());
        Assert.Equal(JsonValueKind.Null, manifest.GetProperty("approver").ValueKind);
        Assert.EndsWith("+08:00", manifest.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        var records = manifest.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(first.Sha256, records[first.Id].GetProperty("sha256").GetString());
        Assert.Equal(second.Sha256, records[second.Id].GetProperty("sha256").GetString());
        Assert.Equal($"originals/{first.Id}.mp4", records[first.Id].GetProperty("path").GetString());
        Assert.Equal(first.Bytes, Entry(zip, $"originals/{first.Id}.mp4"));
        Assert.Equal(officer.DeviceCode, records[first.Id].GetProperty("deviceCode").GetString());
        Assert.Equal(officer.Badge, records[first.Id].GetProperty("officerBadge").GetString());
        var custody = records[first.Id].GetProperty("custody").EnumerateArray().ToList();
        Assert.Equal("record.stored", custody[0].GetProperty("kind").GetString());
        Assert.Contains(custody, c => c.GetProperty("kind").GetString() == "record.download");

        var report = Encoding.UTF8.GetString(Entry(zip, "report/report.html"));
        Assert.Contains("电子数据证据清单", report, StringComparison.Ordinal);
        Assert.Contains(first.Sha256, report, StringComparison.Ordinal);
        // Read by a court: names, Chinese event kinds and dates, never ids, codes or ISO strings.
        Assert.Contains("入库保存", report, StringComparison.Ordinal);
        Assert.DoesNotContain("record.stored", report, StringComparison.Ordinal);
        Assert.Contains($"{officer.DisplayName}（执法证号 {officer.Badge}）", report, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}", report);
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", report);
        var pdf = Entry(zip, "report/report.pdf");
        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.Contains("/ToUnicode", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
        Assert.Contains("verify", Encoding.UTF8.GetString(Entry(zip, "README.txt")), StringComparison.Ordinal);
        Assert.Contains("<html", Encoding.UTF8.GetString(Entry(zip, "verify/verify.html")), StringComparison.Ordinal);
        Assert.Contains("接收回执", Encoding.UTF8.GetString(Entry(zip, "receipt/receipt.html")), StringComparison.Ordinal);

        // The download is audited and ledgered.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "export.download" && e.SubjectId == id));
        }
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"export.downloaded\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        Assert.Equal(1, (await JsonAsync(await client.GetAsync($"/api/v1/exports/{id}"))).GetProperty("downloads").GetInt32());

        // After its time the link is gone and the package expired (its time moved, as the shared clock only goes forward).
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            var readyAt = await db.EvidenceExports.Where(x => x.Id == id).Select(x => x.ReadyAt).SingleAsync();
            Assert.Equal(TimeSpan.FromDays(7), (await db.EvidenceExports.Where(x => x.Id == id).Select(x => x.ExpiresAt).SingleAsync()) - readyAt);
            await db.EvidenceExports.Where(x => x.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.ExpiresAt, factory.Clock.GetUtcNow().AddSeconds(-1)));
        }
        var expired = await JsonAsync(await client.GetAsync($"/api/v1/exports/{id}"));
        Assert.Equal("expired", expired.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("downloadUrl").ValueKind);
        using var late = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("export-expired", (await JsonAsync(late)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Package_files_are_named_by_the_recognised_format_never_by_the_uploaders_file_name()
    {
        var officer = await factory.PersonAsync(Role.Officer);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var own = await factory.ClientAsync(officer);
        var hta = await UploadAsync(own, officer, 1, "现场录像.hta");
        var html = await UploadAsync(own, officer, 2, "index.html");
        using var client = await factory.ClientAsync(legal);

        var id = await ExportAsync(client, new { recordIds = new[] { hta.Id, html.Id }, purpose = "案件审核" });
        var (view, _) = await SettledAsync(client, id);
        Assert.Equal("ready", view.GetProperty("state").GetString());
        using var zip = new ZipArchive(new MemoryStream(await client.GetByteArrayAsync(view.GetProperty("downloadUrl").GetString())), ZipArchiveMode.Read);
        var manifest = VerifyPackage(zip, id);

        Assert.Equal(hta.Bytes, Entry(zip, $"originals/{hta.Id}.mp4"));
        Assert.Equal(html.Bytes, Entry(zip, $"originals/{html.Id}.mp4"));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".hta", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["receipt/receipt.html", "report/report.html", "verify/verify.html"],
            zip.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".html", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
        // The name the uploader gave stays what it is: a fact recorded in the manifest, not a file's name.
        Assert.Contains(manifest.GetProperty("records").EnumerateArray(), r => r.GetProperty("fileName").GetString() == "现场录像.hta");
    }

    [Fact]
    public async Task A_session_export_holds_every_segment_of_the_session()
    {
        var officer = await factory.PersonAsync(Role.Officer);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var own = await factory.ClientAsync(officer);
        var record = await UploadAsync(own, officer);
        var session = (await JsonAsync(await own.GetAsync($"/api/v1/records/{record.Id}"))).GetProperty("sessionId").GetString()!;
        using var client = await factory.ClientAsync(legal);
        var id = await ExportAsync(client, new { sessionId = session, purpose = "案件审核" });
        var (view, _) = await SettledAsync(client, id);
        Assert.Equal("ready", view.GetProperty("state").GetString());
        Assert.Equal("session", view.GetProperty("targetType").GetString());
        Assert.Contains(record.Id, view.GetProperty("recordIds").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_case_export_holds_the_records_linked_to_the_case_and_names_the_case()
    {
        var officer = await factory.PersonAsync(Role.Officer);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        var stranger = await factory.PersonAsync(Role.LegalOfficer);
        using var own = await factory.ClientAsync(officer);
        var linked = await UploadAsync(own, officer);
        var unlinked = await UploadAsync(own, officer);
        using var client = await factory.ClientAsync(legal);
        var number = $"渝交执罚〔2026〕{Random.Shared.Next(100000, 999999)}号";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/cases", new { number, title = "超限运输案", unitCode = officer.UnitCode })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}/links", new { recordId = linked.Id })).StatusCode);

        // A case one may not see, or no such case, does not exist.
        using (var other = await factory.ClientAsync(stranger))
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/api/v1/exports", new { caseNumber = number, purpose = "案件移送" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/exports", new { caseNumber = number + "-无此案", purpose = "案件移送" })).StatusCode);

        var id = await ExportAsync(client, new { caseNumber = number, purpose = "案件移送" });
        var (view, states) = await SettledAsync(client, id);
        Assert.Equal("ready", view.GetProperty("state").GetString());
        Assert.Equal("case", view.GetProperty("targetType").GetString());
        Assert.Equal(number, view.GetProperty("target").GetString());
        Assert.Equal([linked.Id], view.GetProperty("recordIds").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.DoesNotContain("failed", states);

        var package = await client.GetByteArrayAsync(view.GetProperty("downloadUrl").GetString());
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        var manifest = VerifyPackage(zip, id);
        var record = Assert.Single(manifest.GetProperty("records").EnumerateArray());
        Assert.Equal(linked.Id, record.GetProperty("id").GetString());
        Assert.Contains(number, record.GetProperty("caseNumbers").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(linked.Bytes, Entry(zip, record.GetProperty("path").GetString()!));
        Assert.Null(zip.Entries.FirstOrDefault(e => e.FullName.Contains(unlinked.Id, StringComparison.Ordinal)));
        Assert.Contains(number, Encoding.UTF8.GetString(Entry(zip, "report/report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_whose_original_is_damaged_in_the_vault_fails_and_says_which_record()
    {
        var officer = await factory.PersonAsync(Role.Officer);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var own = await factory.ClientAsync(officer);
        var record = await UploadAsync(own, officer);
        var blob = Path.Combine(factory.DataDir, "blobs", "originals", record.Sha256[..2], record.Sha256);
        File.SetAttributes(blob, FileAttributes.Normal);
        await using (var f = new FileStream(blob, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = f.Length / 2;
            var b = f.ReadByte();
            f.Position--;
            f.WriteByte((byte)(b ^ 0x20));
        }

        using var client = await factory.ClientAsync(legal);
        var id = await ExportAsync(client, new { recordIds = new[] { record.Id }, purpose = "向法院举证" });
        // The retry waits on the server's clock (back-off), which only the test moves.
        var (view, states) = await SettledAsync(client, id, factory.Clock);
        Assert.Equal("failed", states[^1]);
        Assert.Contains(record.Id, view.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("damaged", view.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("downloadUrl").ValueKind);
        using (var download = await client.GetAsync($"/api/v1/exports/{id}/download"))
        {
            Assert.Equal(HttpStatusCode.Conflict, download.StatusCode);
            Assert.Equal("export-not-ready", (await JsonAsync(download)).GetProperty("code").GetString());
        }
        // No package, finished or partial, is left behind.
        Assert.Empty(Directory.Exists(Path.Combine(factory.DataDir, "exports"))
            ? Directory.EnumerateFiles(Path.Combine(factory.DataDir, "exports"), $"{id}*") : []);
    }

    [Fact]
    public async Task Records_outside_scope_are_refused_with_the_list_of_what_is_missing_unless_an_approved_provision_covers_them()
    {
        var superior = await factory.PersonAsync(Role.DepartmentHead);
        var officer = await factory.PersonAsync(Role.Officer, superior.UnitCode);
        var elsewhere = await factory.PersonAsync(Role.Officer, superior.UnitCode);
        var headElsewhere = await factory.ColleagueAsync(elsewhere, Role.DepartmentHead);
        var legal = await factory.ColleagueAsync(officer, Role.LegalOfficer);
        using var own = await factory.ClientAsync(officer);
        using var theirs = await factory.ClientAsync(elsewhere);
        var mine = await UploadAsync(own, officer);
        var outside = await UploadAsync(theirs, elsewhere);
        using var client = await factory.ClientAsync(legal);

        using (var refused = await client.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { mine.Id, outside.Id }, purpose = "举证" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await JsonAsync(refused);
            Assert.Equal("export-out-of-scope", problem.GetProperty("code").GetString());
            Assert.Equal([outside.Id], problem.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToArray());
            Assert.Contains(outside.Id, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        using (var scope = factory.Services.CreateScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().EvidenceExports.CountAsync(x => x.Purpose == "举证"));

        // Bad input says what is wrong and makes nothing.
        using (var bad = await client.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { mine.Id }, sessionId = "01KAAAAAAAAAAAAAAAAAAAAAAA", purpose = "举证" }))
            Assert.Equal("export-invalid", (await JsonAsync(bad)).GetProperty("code").GetString());
        using (var bad = await client.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { mine.Id } }))
            Assert.Equal("export-invalid", (await JsonAsync(bad)).GetProperty("code").GetString());

        // An approved external provision for the missing record covers it.
        using var provisionResponse = await client.PostAsJsonAsync("/api/v1/provisions", new
        {
            recipientOrganisation = "重庆市渝中区人民法院", recipientPerson = "王书记员", purpose = "行政诉讼举证", legalBasis = "《行政诉讼法》第三十四条", recordIds = new[] { outside.Id },
        });
        var provisionId = (await JsonAsync(provisionResponse)).GetProperty("id").GetString()!;
        using (var unapproved = await client.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { mine.Id, outside.Id }, purpose = "举证", provisionId }))
            Assert.Equal("provision-not-approved", (await JsonAsync(unapproved)).GetProperty("code").GetString());
        using (var head = await factory.ClientAsync(headElsewhere))
            Assert.Equal(HttpStatusCode.OK, (await head.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意提供", password = headElsewhere.Password })).StatusCode);

        var id = await ExportAsync(client, new { recordIds = new[] { mine.Id, outside.Id }, purpose = "行政诉讼举证", provisionId });
        var (view, _) = await SettledAsync(client, id);
        Assert.Equal("ready", view.GetProperty("state").GetString());
        var package = await client.GetByteArrayAsync(view.GetProperty("downloadUrl").GetString());
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        var manifest = VerifyPackage(zip, id);

        Assert.Equal(provisionId, manifest.GetProperty("provisionId").GetString());
        Assert.Equal("重庆市渝中区人民法院", manifest.GetProperty("recipient").GetProperty("organisation").GetString());
        Assert.Contains("音像审", manifest.GetProperty("approver").GetProperty("number").GetString(), StringComparison.Ordinal);
        Assert.Equal(headElsewhere.DisplayName, manifest.GetProperty("approver").GetProperty("name").GetString());

        // The recipient's signed receipt comes back and is attached to the provision.
        using (var wrongType = new ByteArrayContent("not a scan"u8.ToArray()))
        {
            wrongType.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync($"/api/v1/exports/{id}/receipt", wrongType)).StatusCode);
        }
        var scan = Encoding.ASCII.GetBytes("%PDF-1.4 signed receipt scan");
        using (var content = new ByteArrayContent(scan))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            using var uploaded = await client.PostAsync($"/api/v1/exports/{id}/receipt?fileName=receipt.pdf", content);
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        }
        using (var head = await factory.ClientAsync(headElsewhere))
        {
            var listed = Assert.Single((await JsonAsync(await head.GetAsync($"/api/v1/provisions/{provisionId}/exports"))).EnumerateArray());
            Assert.Equal(id, listed.GetProperty("id").GetString());
            Assert.Equal(1, listed.GetProperty("downloads").GetInt32());
            Assert.Equal(JsonValueKind.Null, listed.GetProperty("downloadUrl").ValueKind);
            var receipt = listed.GetProperty("receipt");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(scan)), receipt.GetProperty("sha256").GetString());
            Assert.Equal(scan, await head.GetByteArrayAsync(receipt.GetProperty("url").GetString()));
            // A head may follow the package, not download it.
            Assert.Equal(HttpStatusCode.NotFound, (await head.GetAsync($"/api/v1/exports/{id}/download")).StatusCode);
        }
        Assert.Contains(await factory.LedgerLeavesAsync(), l => l.Contains("\"export.receipt\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_officer_exports_only_what_an_approved_provision_of_theirs_covers()
    {
        var officer = await factory.PersonAsync(Role.Officer);
        var head = await factory.ColleagueAsync(officer, Role.DepartmentHead);
        var requester = await factory.PersonAsync(Role.Officer);
        using var own = await factory.ClientAsync(officer);
        var record = await UploadAsync(own, officer);
        using var client = await factory.ClientAsync(requester);

        using (var notPermitted = await client.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { record.Id }, purpose = "举证" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notPermitted.StatusCode);
            Assert.Equal("export-not-permitted", (await JsonAsync(notPermitted)).GetProperty("code").GetString());
        }
        using var provisionResponse = await client.PostAsJsonAsync("/api/v1/provisions", new
        {
            recipientOrganisation = "重庆市公安局交通管理局", recipientPerson = "李警官", purpose = "事故调查", legalBasis = "《道路交通安全法》", recordIds = new[] { record.Id },
        });
        var provisionId = (await JsonAsync(provisionResponse)).GetProperty("id").GetString()!;
        using (var h = await factory.ClientAsync(head))
            Assert.Equal(HttpStatusCode.OK, (await h.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意", password = head.Password })).StatusCode);

        // Someone else's provision does not exist for them.
        using (var officerClient = await factory.ClientAsync(officer))
            Assert.Equal(HttpStatusCode.NotFound, (await officerClient.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { record.Id }, purpose = "举证", provisionId })).StatusCode);

        var id = await ExportAsync(client, new { recordIds = new[] { record.Id }, purpose = "事故调查", provisionId, copies = true });
        var (view, _) = await SettledAsync(client, id);
        Assert.Equal("ready", view.GetProperty("state").GetString());
        var package = await client.GetByteArrayAsync(view.GetProperty("downloadUrl").GetString());
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        var manifest = VerifyPackage(zip, id);

        Assert.Equal("李警官", manifest.GetProperty("recipient").GetProperty("person").GetString());
        Assert.Contains("李警官", Encoding.UTF8.GetString(Entry(zip, "receipt/receipt.html")), StringComparison.Ordinal);
        // The watermarked viewing copy is a derivative: in the manifest as not a record, its bytes as stated, a derivative row of its original.
        var copy = Assert.Single(manifest.GetProperty("copies").EnumerateArray());
        Assert.False(copy.GetProperty("isRecord").GetBoolean());
        Assert.Equal(record.Id, copy.GetProperty("recordId").GetString());
        var copyBytes = Entry(zip, copy.GetProperty("path").GetString()!);
        Assert.Equal(copy.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(copyBytes)));
        Assert.NotEqual(record.Sha256, copy.GetProperty("sha256").GetString());
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            var derivative = await db.Derivatives.SingleAsync(d => d.Id == copy.GetProperty("derivativeId").GetString());
            Assert.Equal(Core.Derivatives.DerivativeKind.WatermarkedCopy, derivative.Kind);
            Assert.Equal(record.Id, derivative.OriginalId);
        }
        // The provision opens the export only: not a download of the record itself.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/records/{record.Id}/download")).StatusCode);
    }
}
