using System.Net;
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
            recordIds.Add((await uploader.UploadAsync(clip.Path, new(null, null, null, null), default)).RecordId!);
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
}
