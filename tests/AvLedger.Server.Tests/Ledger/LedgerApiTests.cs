using System.Net;
using System.Text.Json;
using AvLedger.Ledger;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Ledger;

public sealed class LedgerApiTestsOnSqlite(SqliteFactory factory) : LedgerApiTests<SqliteFactory>(factory);

public sealed class LedgerApiTestsOnPostgres(PostgresFactory factory) : LedgerApiTests<PostgresFactory>(factory);

public abstract class LedgerApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    async Task<JsonElement> ProofAsync(HttpClient client, string recordId)
    {
        for (var i = 0; i < 100; i++)
        {
            using var response = await client.GetAsync($"/api/v1/records/{recordId}/proof");
            if (response.StatusCode == HttpStatusCode.OK) return await JsonAsync(response);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            await Task.Delay(100);
        }
        throw new TimeoutException("the record was not sequenced within 10 s");
    }

    [Fact]
    public async Task A_stored_record_is_proved_included_under_a_signed_checkpoint()
    {
        var (officer, _) = await factory.OfficerAsync();
        var file = await Tus.NewSampleAsync();
        var status = await Tus.UploadAsync(officer, file);
        var proof = await ProofAsync(officer, status.RecordId!);

        var key = (await officer.GetStringAsync("/api/v1/ledger/key")).Trim();
        Assert.True(new NoteVerifier(key).TryVerify(proof.GetProperty("checkpoint").GetString()!, out var body));
        Assert.True(Checkpoint.TryParse(body, out var checkpoint));
        var leaf = Convert.FromBase64String(proof.GetProperty("leaf").GetString()!);
        var hashes = proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
        var index = proof.GetProperty("leafIndex").GetInt64();
        Assert.True(MerkleVerifier.VerifyInclusion(MerkleHash.Leaf(leaf), index, checkpoint!.TreeSize, hashes, checkpoint.RootHash));

        var content = JsonDocument.Parse(leaf).RootElement;
        Assert.Equal("record.stored", content.GetProperty("kind").GetString());
        Assert.Equal(Tus.Sha256(file), content.GetProperty("sha256").GetString());
        Assert.Equal(status.RecordId, content.GetProperty("recordId").GetString());
        Assert.Equal(1, content.GetProperty("v").GetInt32());
        Assert.Equal(CanonicalJson.Canonicalize(leaf), leaf);
        var record = await JsonAsync(await officer.GetAsync($"/api/v1/records/{status.RecordId}"));
        Assert.Equal(index, record.GetProperty("ledgerIndex").GetInt64());
    }

    [Fact]
    public async Task A_content_view_enters_the_ledger_once_per_viewing()
    {
        var (officer, _) = await factory.OfficerAsync();
        var auditor = await AuditorAsync();
        var status = await Tus.UploadAsync(officer, await Tus.NewSampleAsync());
        await ProofAsync(officer, status.RecordId!);
        var before = await SizeAsync(auditor);
        for (var i = 0; i < 3; i++) (await officer.GetAsync($"/api/v1/records/{status.RecordId}/content")).EnsureSuccessStatusCode();

        var after = await WaitForSizeAsync(auditor, before + 1);
        var leaves = await JsonAsync(await auditor.GetAsync($"/api/v1/ledger/leaves?start={before}&end={after}"));
        var views = leaves.GetProperty("leaves").EnumerateArray()
            .Select(l => JsonDocument.Parse(Convert.FromBase64String(l.GetString()!)).RootElement)
            .Where(l => l.GetProperty("kind").GetString() == "record.view" && l.GetProperty("recordId").GetString() == status.RecordId).ToList();
        Assert.Single(views);
    }

    [Fact]
    public async Task Consistency_between_two_checkpoints_verifies()
    {
        var (officer, _) = await factory.OfficerAsync();
        var auditor = await AuditorAsync();
        var key = (await auditor.GetStringAsync("/api/v1/ledger/key")).Trim();
        var status = await Tus.UploadAsync(officer, await Tus.NewSampleAsync());
        await ProofAsync(officer, status.RecordId!);
        var first = await CheckpointAsync(auditor, key);
        (await officer.GetAsync($"/api/v1/records/{status.RecordId}/download")).EnsureSuccessStatusCode();
        await WaitForSizeAsync(auditor, first.TreeSize + 1);
        var second = await CheckpointAsync(auditor, key);

        var proof = await JsonAsync(await auditor.GetAsync($"/api/v1/ledger/consistency?first={first.TreeSize}&second={second.TreeSize}"));
        var hashes = proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
        Assert.True(MerkleVerifier.VerifyConsistency(first.TreeSize, second.TreeSize, hashes, first.RootHash, second.RootHash));
        Assert.False(MerkleVerifier.VerifyConsistency(first.TreeSize, second.TreeSize, hashes, second.RootHash, second.RootHash));
    }

    [Fact]
    public async Task Leaves_and_consistency_are_for_auditors_only()
    {
        var (officer, _) = await factory.OfficerAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/ledger/leaves?start=0&end=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/ledger/consistency?first=0&second=1")).StatusCode);
        using var admin = await factory.AdminAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/v1/ledger/leaves?start=0&end=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/api/v1/ledger/checkpoint")).StatusCode);
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/ledger/checkpoint")).StatusCode);
    }

    [Fact]
    public async Task Out_of_range_requests_are_refused_clearly()
    {
        var auditor = await AuditorAsync();
        using var beyond = await auditor.GetAsync("/api/v1/ledger/leaves?start=0&end=999999999");
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal("range-invalid", (await JsonAsync(beyond)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/v1/ledger/consistency?first=5&second=2")).StatusCode);
    }

    async Task<HttpClient> AuditorAsync() => (await factory.OfficerAsync(Core.Accounts.Role.Auditor)).Client;

    static async Task<Checkpoint> CheckpointAsync(HttpClient client, string key)
    {
        Assert.True(new NoteVerifier(key).TryVerify(await client.GetStringAsync("/api/v1/ledger/checkpoint"), out var body));
        Assert.True(Checkpoint.TryParse(body, out var checkpoint));
        return checkpoint!;
    }

    static async Task<long> SizeAsync(HttpClient client) =>
        long.Parse((await client.GetStringAsync("/api/v1/ledger/checkpoint")).Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);

    static async Task<long> WaitForSizeAsync(HttpClient client, long atLeast)
    {
        for (var i = 0; i < 100; i++)
        {
            var size = await SizeAsync(client);
            if (size >= atLeast) return size;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the ledger did not reach {atLeast} leaves within 10 s");
    }
}
