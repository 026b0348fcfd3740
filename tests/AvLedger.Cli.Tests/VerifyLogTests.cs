using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Ledger;
using AvLedger.Media;
using Microsoft.Data.Sqlite;

namespace AvLedger.Cli.Tests;

/// <summary>The ledger's promise, tested as an outsider would: verify-log against a real server,
/// then the database edited behind the server's back, each kind of damage named.</summary>
[Collection("console")]
public sealed class VerifyLogTests : IAsyncLifetime
{
    const string AuditorPassword = RealServer.AuditorPassword;
    readonly string stateDir = Directory.CreateTempSubdirectory("avledger-verify-state-").FullName;
    readonly List<string> recordIds = [];
    RealServer server = null!;
    Uri url = null!;
    string dataDir = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", stateDir);
        server = await RealServer.StartWithPeopleAsync();
        (url, dataDir) = (server.Url, server.DataDir);
        using var officer = await server.ClientAsync("officer1", RealServer.OfficerPassword);
        var uploader = new TusUploader(officer, url, officer.DefaultRequestHeaders.Authorization!.Parameter!, TextWriter.Null);
        for (var i = 0; i < 2; i++)
        {
            var clip = await SampleClips.WriteAsync(Path.Combine(dataDir, "in" + i), "DSJ-0001", "500101", DateTimeOffset.UtcNow.AddMinutes(-30 - i), 1, default);
            recordIds.Add((await uploader.UploadAsync(clip.Path, new("DSJ-0001", null, null, null), default)).RecordId!);
        }
        (await officer.GetAsync($"/api/v1/records/{recordIds[0]}/content")).EnsureSuccessStatusCode();
        // Two records, each with its ingest and session leaves, and three audit events.
        await WaitForLedgerAsync(7);
    }

    async Task WaitForLedgerAsync(long leaves)
    {
        using var http = await server.ClientAsync("auditor1", AuditorPassword);
        for (var i = 0; i < 100; i++)
        {
            var note = await http.GetStringAsync(new Uri(url, "/api/v1/ledger/checkpoint"));
            if (long.Parse(note.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture) >= leaves) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("the ledger did not sequence in 10 s");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(stateDir, recursive: true);
    }

    async Task<(int Exit, string Output)> VerifyAsync(string? trusted = null)
    {
        using var output = new StringWriter();
        var exit = await VerifyLogCommand.RunAsync(url.ToString(), "auditor1", AuditorPassword, trusted, output, default);
        return (exit, output.ToString());
    }

    /// <summary>Edits the database directly, as someone with file access and no scruples would.</summary>
    async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "avledger.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        Assert.True(await command.ExecuteNonQueryAsync() > 0, $"the tampering statement changed nothing: {sql}");
    }

    [Fact]
    public async Task An_intact_log_verifies()
    {
        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 0, output);
        Assert.Contains("OK: 7 leaves, 2 records, 3 audit events verified", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replaced_signing_key_is_caught_by_a_pinned_key()
    {
        using var http = await server.ClientAsync("auditor1", AuditorPassword);
        var key = (await http.GetStringAsync("/api/v1/ledger/key")).Trim();
        using (var output = new StringWriter())
            Assert.Equal(0, await VerifyLogCommand.RunAsync(url.ToString(), "auditor1", AuditorPassword, null, output, default, key));

        var other = AvLedger.Ledger.NoteSigner.Generate(key.Split('+')[0]).VerifierKey;
        using var mismatch = new StringWriter();
        Assert.Equal(1, await VerifyLogCommand.RunAsync(url.ToString(), "auditor1", AuditorPassword, null, mismatch, default, other));
        Assert.Contains("the signing key was replaced", mismatch.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_record_sha256_is_named()
    {
        await TamperAsync($"UPDATE Records SET Sha256 = '{new string('0', 64)}' WHERE Id = '{recordIds[1]}'");
        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Contains($"record {recordIds[1]}: sha256 is '{new string('0', 64)}'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_leaf_breaks_the_signed_root_and_raises_the_alarm_at_start()
    {
        await TamperAsync("UPDATE LedgerLeaves SET Leaf = CAST(REPLACE(CAST(Leaf AS TEXT), '500101', '500999') AS BLOB) WHERE \"Index\" = (SELECT MIN(\"Index\") FROM LedgerLeaves WHERE Kind = 'record.stored')");
        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Contains("do not hash to the signed root", output, StringComparison.Ordinal);

        await server.StopAsync();
        await server.StartAsync();
        url = server.Url;
        using var http = new HttpClient();
        for (var i = 0; i < 50; i++)
        {
            using var health = await http.GetAsync(new Uri(url, "/healthz"));
            if (health.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Matches(@"leaf \d+ bytes do not match its stored hash", await health.Content.ReadAsStringAsync());
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("/healthz never raised the ledger alarm after the leaf was changed");
    }

    [Fact]
    public async Task A_deleted_audit_event_is_named()
    {
        await TamperAsync("DELETE FROM AuditEvents WHERE Action = 'record.view'");
        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Contains("missing from the audit trail — deleted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_leaf_table_is_named()
    {
        await TamperAsync("DELETE FROM LedgerLeaves WHERE \"Index\" >= 1");
        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Contains("FAIL", output, StringComparison.Ordinal);
        Assert.Contains(recordIds[1], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_checkpoint_proves_the_log_only_grew()
    {
        // What a superior unit does: `./avledger checkpoint --server URL … > FILE`.
        var saved = Path.Combine(dataDir, "trusted.checkpoint");
        var original = Console.Out;
        await using (var file = new StreamWriter(saved))
        {
            Console.SetOut(file);
            try
            {
                Assert.Equal(0, await Commands.Checkpoint().Parse(["--server", url.ToString(), "--user", "auditor1", "--password", AuditorPassword]).InvokeAsync());
            }
            finally
            {
                Console.SetOut(original);
            }
        }
        Assert.StartsWith("avledger/", await File.ReadAllTextAsync(saved), StringComparison.Ordinal);

        using var officer = await server.ClientAsync("officer1", RealServer.OfficerPassword);
        (await officer.GetAsync($"/api/v1/records/{recordIds[1]}/download")).EnsureSuccessStatusCode();
        await WaitForLedgerAsync(8);

        var (exit, output) = await VerifyAsync(saved);
        Assert.True(exit == 0, output);
        Assert.Contains("the log only grew since the trusted checkpoint (7 → 8)", output, StringComparison.Ordinal);
    }

    // An untouched install verifies, whatever its people did through the product.

    async Task<HttpClient> LegalOfficerAsync()
    {
        using var admin = await server.ClientAsync("admin", RealServer.AdminPassword);
        await server.AddPersonAsync(admin, new { username = "legal1", password = "initial-pass-1", roles = new[] { "legalOfficer" }, name = "法制员", badge = "500201", unitCode = "U1" }, "legal1", "legal-pass-1");
        return await server.ClientAsync("legal1", "legal-pass-1");
    }

    /// <summary>Waits until every leaf written so far is sequenced and signed.</summary>
    async Task SettledAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "avledger.db")};Pooling=False");
        await connection.OpenAsync();
        await using var query = new SqliteCommand(
            "SELECT (SELECT COUNT(*) FROM LedgerPending) = 0 AND (SELECT MAX(TreeSize) FROM LedgerCheckpoints) = (SELECT COUNT(*) FROM LedgerLeaves)", connection);
        for (var i = 0; i < 100; i++)
        {
            if ((long)(await query.ExecuteScalarAsync())! == 1) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("the ledger did not sequence and sign in 10 s");
    }

    [Fact]
    public async Task A_case_linked_by_hand_verifies()
    {
        using var legal = await LegalOfficerAsync();
        (await legal.PostAsJsonAsync("/api/v1/cases", new { number = "CASE-2026-001", title = "超限运输", unitCode = "U1" })).EnsureSuccessStatusCode();
        (await legal.PostAsJsonAsync("/api/v1/cases/CASE-2026-001/links", new { recordId = recordIds[0] })).EnsureSuccessStatusCode();
        // case.created and the hand-made case.linked (whose eventId is null).
        await SettledAsync();

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task An_imported_enforcement_event_and_its_automatic_links_verify()
    {
        using var legal = await LegalOfficerAsync();
        (await legal.PostAsJsonAsync("/api/v1/cases", new { number = "CASE-2026-002", title = "非法营运", unitCode = "U1" })).EnsureSuccessStatusCode();
        var now = DateTimeOffset.UtcNow;
        using var imported = await legal.PostAsJsonAsync("/api/v1/enforcement-events/import", new[]
        {
            new { externalId = "EV-1", officerBadge = "500101", start = now.AddHours(-1).ToString("O"), end = now.ToString("O"), caseNumber = "CASE-2026-002" },
        });
        imported.EnsureSuccessStatusCode();
        var links = JsonDocument.Parse(await imported.Content.ReadAsStringAsync()).RootElement.GetProperty("links").GetInt32();
        Assert.Equal(2, links);
        // case.created, enforcement-event.imported and a case.linked per record.
        await SettledAsync();

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task A_downloaded_evidence_package_verifies()
    {
        using var legal = await LegalOfficerAsync();
        using var created = await legal.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { recordIds[0] }, purpose = "移送法院" });
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        for (var i = 0; ; i++)
        {
            var state = JsonDocument.Parse(await legal.GetStringAsync($"/api/v1/exports/{id}")).RootElement.GetProperty("state").GetString();
            if (state == "ready") break;
            Assert.True(i < 600 && state is "queued" or "running", $"the package did not become ready: {state}");
            await Task.Delay(100);
        }
        Assert.NotEmpty(await legal.GetByteArrayAsync($"/api/v1/exports/{id}/download"));
        await SettledAsync();

        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 0, output);
    }

    // The forked-log attack: with database access, drop a record.view leaf and its audit event, rebuild the
    // tree and delete the checkpoints above — the server must notice and never sign the fork.

    /// <summary>The attack, done as its author would: the database edited into a smaller, self-consistent log.</summary>
    async Task<long> ForkAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "avledger.db")};Pooling=False");
        await connection.OpenAsync();
        async Task<object?> Scalar(string sql)
        {
            await using var command = new SqliteCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }
        var dropped = (long)(await Scalar("SELECT \"Index\" FROM LedgerLeaves WHERE Kind = 'record.view'"))!;
        var eventId = (string)(await Scalar($"SELECT Id FROM AuditEvents WHERE Action = 'record.view'"))!;
        await Scalar($"DELETE FROM AuditEvents WHERE Id = '{eventId}'");
        await Scalar($"DELETE FROM LedgerLeaves WHERE \"Index\" = {dropped}");
        // Renumber the leaves above, lowest first so no two share an index.
        var above = new List<long>();
        await using (var read = new SqliteCommand($"SELECT \"Index\" FROM LedgerLeaves WHERE \"Index\" > {dropped} ORDER BY \"Index\"", connection))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) above.Add(reader.GetInt64(0));
        foreach (var index in above) await Scalar($"UPDATE LedgerLeaves SET \"Index\" = {index - 1} WHERE \"Index\" = {index}");
        await Scalar($"UPDATE Records SET LedgerIndex = LedgerIndex - 1 WHERE LedgerIndex > {dropped}");
        // Rebuild every stored subtree from the remaining leaves.
        var hashes = new List<byte[]>();
        await using (var read = new SqliteCommand("SELECT Hash FROM LedgerLeaves ORDER BY \"Index\"", connection))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) hashes.Add((byte[])reader[0]);
        await Scalar("DELETE FROM LedgerNodes");
        var nodes = new Dictionary<(int, long), byte[]>();
        for (var i = 0; i < hashes.Count; i++)
            foreach (var (level, index, hash) in MerkleTree.NodesCreatedByAppend(i, hashes[i], (l, n) => nodes[(l, n)]))
                nodes[(level, index)] = hash;
        foreach (var ((level, index), hash) in nodes)
        {
            await using var insert = new SqliteCommand("INSERT INTO LedgerNodes (Key, Hash) VALUES (@k, @h)", connection);
            insert.Parameters.AddWithValue("@k", ((long)level << 48) | index);
            insert.Parameters.AddWithValue("@h", hash);
            await insert.ExecuteNonQueryAsync();
        }
        await Scalar($"DELETE FROM LedgerCheckpoints WHERE TreeSize > {dropped}");
        return hashes.Count;
    }

    async Task<string> AlarmAsync(string expected)
    {
        using var http = new HttpClient();
        var last = "";
        for (var i = 0; i < 100; i++)
        {
            using var health = await http.GetAsync(new Uri(url, "/healthz"));
            last = $"{(int)health.StatusCode} {await health.Content.ReadAsStringAsync()}";
            if (health.StatusCode == HttpStatusCode.ServiceUnavailable && last.Contains(expected, StringComparison.Ordinal)) return last;
            await Task.Delay(100);
        }
        Assert.Fail($"/healthz never said \"{expected}\"; it last answered: {last}");
        return last;
    }

    /// <summary>Every checkpoint the server has signed, in its database, as (size, root).</summary>
    async Task<List<Checkpoint>> SignedAsync(string key)
    {
        var signed = new List<Checkpoint>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "avledger.db")};Pooling=False");
        await connection.OpenAsync();
        await using var read = new SqliteCommand("SELECT Note FROM LedgerCheckpoints", connection);
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Assert.True(new NoteVerifier(key).TryVerify(reader.GetString(0), out var body));
            Assert.True(Checkpoint.TryParse(body, out var c));
            signed.Add(c!);
        }
        return signed;
    }

    [Fact]
    public async Task A_forked_database_raises_the_alarm_after_restart_and_the_fork_is_never_signed()
    {
        using var auditor = await server.ClientAsync("auditor1", AuditorPassword);
        var key = (await auditor.GetStringAsync("/api/v1/ledger/key")).Trim();
        Assert.True(new NoteVerifier(key).TryVerify(await auditor.GetStringAsync("/api/v1/ledger/checkpoint"), out var body));
        Assert.True(Checkpoint.TryParse(body, out var original));
        Assert.Equal(7, original!.TreeSize);

        await server.StopAsync();
        Assert.Equal(6, await ForkAsync());
        await server.StartAsync();
        url = server.Url;
        await AlarmAsync("the database holds 6 leaves but this log signed size 7");

        // New activity grows the forked tree back to size 7, with another root.
        using var officer = await server.ClientAsync("officer1", RealServer.OfficerPassword);
        (await officer.GetAsync($"/api/v1/records/{recordIds[1]}/content")).EnsureSuccessStatusCode();
        await AlarmAsync("the tree now holds 7 leaves");
        Assert.DoesNotContain(await SignedAsync(key), c => c.TreeSize >= 7 && !c.RootHash.AsSpan().SequenceEqual(original.RootHash));
        Assert.DoesNotContain("\n7\n", await auditor.GetStringAsync(new Uri(url, "/api/v1/ledger/checkpoint")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_forked_while_the_server_runs_is_refused_at_the_next_signing()
    {
        using var auditor = await server.ClientAsync("auditor1", AuditorPassword);
        var key = (await auditor.GetStringAsync("/api/v1/ledger/key")).Trim();
        Assert.True(new NoteVerifier(key).TryVerify(await auditor.GetStringAsync("/api/v1/ledger/checkpoint"), out var body));
        Assert.True(Checkpoint.TryParse(body, out var original));

        Assert.Equal(6, await ForkAsync());
        using var officer = await server.ClientAsync("officer1", RealServer.OfficerPassword);
        (await officer.GetAsync($"/api/v1/records/{recordIds[1]}/content")).EnsureSuccessStatusCode();
        await AlarmAsync("size 7 was not signed: its root contradicts the checkpoint this log signed at the same size");
        Assert.DoesNotContain(await SignedAsync(key), c => c.TreeSize >= 7 && !c.RootHash.AsSpan().SequenceEqual(original!.RootHash));
    }
}
