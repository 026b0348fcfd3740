using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Audit;
using AvLedger.Ledger;

namespace AvLedger.Cli;

/// <summary>
/// An auditor's independent check of the log: the checkpoint's signature, every leaf hashed again
/// into the signed root, each record's metadata and each audit event held against its leaf, and
/// with a trusted older checkpoint, proof that the log only grew since. Exit 0 only when all holds.
/// </summary>
static class VerifyLogCommand
{
    sealed record LeavesPage(long Start, List<string> Leaves);
    sealed record ConsistencyProof(long First, long Second, List<string> Hashes);
    sealed record AuditEventView(string Id, string Action, string ActorId, string? RecordId, string? SubjectId, string? Detail, DateTimeOffset At);
    sealed record AuditPage(List<AuditEventView> Items, string? Next);
    sealed record RecordsPage(List<JsonElement> Items, int Total);

    /// <summary>Leaves whose eventId is not an audit event's: a case link's names the enforcement event it
    /// came from (none when linked by hand), an imported enforcement event's is that event's own id.</summary>
    static readonly HashSet<string> OtherEventIds = [LeafKinds.CaseLinked, LeafKinds.EnforcementEventImported];

    /// <summary>Audit leaves whose kind and subject are spelt differently from their audit event's action
    /// and subject: leaf kind → (action, leaf field holding the subject).</summary>
    static readonly Dictionary<string, (string Action, string SubjectField)> AuditSpelling = new()
    {
        [LeafKinds.ExportDownloaded] = (AuditActions.PackageDownload, "packageId"),
    };

    public static async Task<int> RunAsync(string server, string? user, string? password, string? trustedCheckpointFile, TextWriter output, CancellationToken ct, string? pinnedKey = null)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseUri))
        {
            await output.WriteLineAsync($"--server 不是有效地址 / not a URL: {server}");
            return 2;
        }
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
        {
            await output.WriteLineAsync("需要审计员账号 / an auditor's --user and --password (or AVLEDGER_PASSWORD) are required");
            return 2;
        }
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TusUploader.SignInAsync(http, baseUri, user, password, ct));
        var failures = new List<string>();

        var verifierKey = (await http.GetStringAsync("/api/v1/ledger/key", ct)).Trim();
        // A key the auditor already holds outranks the one the server offers now.
        if (pinnedKey is not null && pinnedKey != verifierKey)
        {
            await output.WriteLineAsync($"FAIL key: the server now presents {verifierKey}, not the pinned {pinnedKey} — the signing key was replaced");
            return 1;
        }
        var verifier = new NoteVerifier(verifierKey);
        var note = await http.GetStringAsync("/api/v1/ledger/checkpoint", ct);
        if (!verifier.TryVerify(note, out var body) || !Checkpoint.TryParse(body, out var checkpoint) || checkpoint is null)
        {
            await output.WriteLineAsync("FAIL checkpoint: the latest checkpoint is not validly signed by the log's key");
            return 1;
        }
        await output.WriteLineAsync($"checkpoint: {checkpoint.Origin}, {checkpoint.TreeSize} leaves, key {verifierKey.Split('+')[1]}");

        var leaves = new List<byte[]>();
        while (leaves.Count < checkpoint.TreeSize)
        {
            using var response = await http.GetAsync($"/api/v1/ledger/leaves?start={leaves.Count}&end={checkpoint.TreeSize}", ct);
            var page = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<LeavesPage>(JsonSerializerOptions.Web, ct) : null;
            if (page is null || page.Leaves.Count == 0)
            {
                failures.Add($"leaves: the server cannot serve leaf {leaves.Count} of the {checkpoint.TreeSize} it signed — leaves were removed");
                break;
            }
            leaves.AddRange(page.Leaves.Select(Convert.FromBase64String));
        }
        var root = MerkleHash.Root(leaves.Select(l => MerkleHash.Leaf(l)).ToList());
        if (leaves.Count == checkpoint.TreeSize && !root.AsSpan().SequenceEqual(checkpoint.RootHash))
            failures.Add($"root: the {leaves.Count} leaves served do not hash to the signed root — a leaf was altered, removed or reordered");

        var recordLeaves = new Dictionary<string, (long Index, JsonElement Leaf)>();
        var auditLeaves = new Dictionary<string, (long Index, JsonElement Leaf)>();
        // A head's confirmation of a recording time the media lacked supersedes the times its record.stored leaf gave.
        var confirmedTimes = new Dictionary<string, (long Index, JsonElement Leaf)>();
        for (var i = 0; i < leaves.Count; i++)
        {
            var leaf = JsonDocument.Parse(leaves[i]).RootElement;
            var kind = leaf.GetProperty("kind").GetString();
            if (kind == LeafKinds.RecordStored) recordLeaves[leaf.GetProperty("recordId").GetString()!] = (i, leaf);
            else if (kind == LeafKinds.RecordedTimeConfirmed) confirmedTimes[leaf.GetProperty("recordId").GetString()!] = (i, leaf);
            else if (!OtherEventIds.Contains(kind!) && leaf.TryGetProperty("eventId", out var eventId) && eventId.GetString() is { } id)
                auditLeaves[id] = (i, leaf);
        }

        await CheckRecordsAsync(http, recordLeaves, confirmedTimes, checkpoint.TreeSize, failures, ct);
        await CheckAuditAsync(http, auditLeaves, failures, ct);

        if (trustedCheckpointFile is not null)
        {
            var trustedNote = await File.ReadAllTextAsync(trustedCheckpointFile, ct);
            if (!verifier.TryVerify(trustedNote, out var trustedBody) || !Checkpoint.TryParse(trustedBody, out var trusted) || trusted is null)
                failures.Add($"trusted checkpoint: {trustedCheckpointFile} is not validly signed by this log's key");
            else if (trusted.Origin != checkpoint.Origin)
                failures.Add($"trusted checkpoint: it is of log '{trusted.Origin}', not '{checkpoint.Origin}'");
            else if (trusted.TreeSize > checkpoint.TreeSize)
                failures.Add($"trusted checkpoint: it has {trusted.TreeSize} leaves, more than the latest {checkpoint.TreeSize} — the log shrank");
            else if (trusted.TreeSize == 0)
                await output.WriteLineAsync("consistency: the trusted checkpoint is the empty log; every log extends it");
            else
            {
                var proof = await http.GetFromJsonAsync<ConsistencyProof>($"/api/v1/ledger/consistency?first={trusted.TreeSize}&second={checkpoint.TreeSize}", JsonSerializerOptions.Web, ct);
                if (proof is null || !MerkleVerifier.VerifyConsistency(trusted.TreeSize, checkpoint.TreeSize, proof.Hashes.Select(Convert.FromBase64String).ToList(), trusted.RootHash, checkpoint.RootHash))
                    failures.Add($"consistency: the log at {checkpoint.TreeSize} does not extend the trusted checkpoint at {trusted.TreeSize} — history was rewritten");
                else
                    await output.WriteLineAsync($"consistency: the log only grew since the trusted checkpoint ({trusted.TreeSize} → {checkpoint.TreeSize})");
            }
        }

        foreach (var failure in failures) await output.WriteLineAsync("FAIL " + failure);
        await output.WriteLineAsync(failures.Count == 0
            ? $"OK: {leaves.Count} leaves, {recordLeaves.Count} records, {auditLeaves.Count} audit events verified"
            : $"{failures.Count} problem(s) found");
        return failures.Count == 0 ? 0 : 1;
    }

    static async Task CheckRecordsAsync(HttpClient http, Dictionary<string, (long Index, JsonElement Leaf)> leaves,
        Dictionary<string, (long Index, JsonElement Leaf)> confirmedTimes, long treeSize, List<string> failures, CancellationToken ct)
    {
        var seen = new HashSet<string>();
        for (var page = 1; ; page++)
        {
            var result = await http.GetFromJsonAsync<RecordsPage>($"/api/v1/records?page={page}&pageSize=200", JsonSerializerOptions.Web, ct);
            if (result is null || result.Items.Count == 0) break;
            foreach (var record in result.Items)
            {
                var id = record.GetProperty("id").GetString()!;
                seen.Add(id);
                var ledgerIndex = record.GetProperty("ledgerIndex");
                if (!leaves.TryGetValue(id, out var entry))
                {
                    if (ledgerIndex.ValueKind == JsonValueKind.Number && ledgerIndex.GetInt64() < treeSize)
                        failures.Add($"record {id}: the server says leaf {ledgerIndex.GetInt64()} but no leaf in the log names this record");
                    continue;
                }
                if (ledgerIndex.ValueKind != JsonValueKind.Number || ledgerIndex.GetInt64() != entry.Index)
                    failures.Add($"record {id}: ledgerIndex is {ledgerIndex} but its leaf is {entry.Index}");
                foreach (var (field, leafField) in new[] { ("sha256", "sha256"), ("deviceCode", "device"), ("officerBadge", "officer") })
                {
                    var api = record.GetProperty(field).ToString();
                    var leaf = entry.Leaf.TryGetProperty(leafField, out var v) ? v.ToString() : "";
                    if (api != leaf) failures.Add($"record {id}: {field} is '{api}' but its leaf {entry.Index} says '{leaf}'");
                }
                if (record.GetProperty("size").GetInt64() != entry.Leaf.GetProperty("size").GetInt64())
                    failures.Add($"record {id}: size is {record.GetProperty("size")} but its leaf {entry.Index} says {entry.Leaf.GetProperty("size")}");
                foreach (var (field, leafField) in new[] { ("recordedStart", "recordedStart"), ("recordedEnd", "recordedEnd"), ("savedAt", "savedAt") })
                {
                    var said = field != "savedAt" && confirmedTimes.TryGetValue(id, out var confirmed) ? confirmed : entry;
                    if (record.GetProperty(field).GetDateTimeOffset() != said.Leaf.GetProperty(leafField).GetDateTimeOffset())
                        failures.Add($"record {id}: {field} is {record.GetProperty(field)} but its leaf {said.Index} says {said.Leaf.GetProperty(leafField)}");
                }
            }
            if (page * 200 >= result.Total) break;
        }
        foreach (var (id, entry) in leaves)
            if (!seen.Contains(id)) failures.Add($"record {id}: in the log (leaf {entry.Index}) but the server no longer shows it");
    }

    static async Task CheckAuditAsync(HttpClient http, Dictionary<string, (long Index, JsonElement Leaf)> leaves, List<string> failures, CancellationToken ct)
    {
        var events = new Dictionary<string, AuditEventView>();
        string? after = null;
        do
        {
            var page = await http.GetFromJsonAsync<AuditPage>($"/api/v1/audit/events?pageSize=1000{(after is null ? "" : "&after=" + after)}", JsonSerializerOptions.Web, ct);
            if (page is null) break;
            foreach (var e in page.Items) events[e.Id] = e;
            after = page.Next;
        }
        while (after is not null);
        foreach (var (id, entry) in leaves)
        {
            if (!events.TryGetValue(id, out var e))
            {
                failures.Add($"audit event {id}: in the log (leaf {entry.Index}, {entry.Leaf.GetProperty("kind")}) but missing from the audit trail — deleted");
                continue;
            }
            var kind = entry.Leaf.GetProperty("kind").GetString()!;
            var (action, subjectField) = AuditSpelling.TryGetValue(kind, out var spelling) ? spelling : (kind, "subject");
            if (e.Action != action || e.ActorId != entry.Leaf.GetProperty("actor").GetString()
                || e.RecordId != Text(entry.Leaf, "recordId") || e.SubjectId != Text(entry.Leaf, subjectField) || e.Detail != Text(entry.Leaf, "detail")
                || e.At != entry.Leaf.GetProperty("at").GetDateTimeOffset())
                failures.Add($"audit event {id}: differs from its leaf {entry.Index} — altered");
        }
    }

    static string? Text(JsonElement leaf, string name) =>
        leaf.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
