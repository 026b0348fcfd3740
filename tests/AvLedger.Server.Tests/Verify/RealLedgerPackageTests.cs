using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AvLedger.Core.Ledger;
using AvLedger.Ledger;
using AvLedger.Server.Tests.Infrastructure;
using AvLedger.Verify;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Verify;

/// <summary>Round trip with the real server: a real upload, its real record.stored proof from
/// GET /api/v1/records/{id}/proof, the key from GET /api/v1/ledger/key, and a seal leaf appended to the
/// real ledger the way the exporter does; the test then writes the package to the format and the offline
/// verifier accepts it (and refuses it once a byte of the original changes).</summary>
public sealed class RealLedgerPackageTests(SqliteFactory factory) : IClassFixture<SqliteFactory>, IDisposable
{
    readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("avledger-verify-real-");

    public void Dispose() => dir.Delete(recursive: true);

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task A_package_of_real_server_proofs_verifies_offline()
    {
        var (officer, badge) = await factory.OfficerAsync();
        var auditor = (await factory.OfficerAsync(Core.Accounts.Role.Auditor)).Client;
        var file = await Tus.NewSampleAsync();
        var id = (await Tus.UploadAsync(officer, file)).RecordId!;
        var record = await JsonAsync(await officer.GetAsync($"/api/v1/records/{id}"));
        var key = (await officer.GetStringAsync("/api/v1/ledger/key")).Trim();

        // The manifest, then its seal in the real ledger, as the exporter will do.
        var packageId = "01KREALPKG" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var proof = await ProofAsync(officer, id);
        var storedIndex = proof.GetProperty("leafIndex").GetInt64();
        var origin = proof.GetProperty("checkpoint").GetString()!.Split('\n')[0];
        var path = $"originals/{id}.mp4";
        var manifest = new JsonObject
        {
            ["format"] = PackageVerifier.Format, ["formatVersion"] = PackageVerifier.FormatVersion, ["packageId"] = packageId, ["createdAt"] = "2026-11-27T10:00:00+08:00", ["purpose"] = "移送法院",
            ["requester"] = new JsonObject { ["id"] = "U1", ["name"] = "张三", ["badge"] = badge, ["unit"] = "一中队" }, ["approver"] = null, ["recipient"] = null, ["provisionId"] = null,
            ["ledger"] = new JsonObject { ["origin"] = origin, ["treeSize"] = proof.GetProperty("treeSize").GetInt64(), ["keyName"] = new NoteVerifier(key).Name },
            ["records"] = new JsonArray(new JsonObject
            {
                ["id"] = id, ["path"] = path, ["sha256"] = record.GetProperty("sha256").GetString(), ["size"] = record.GetProperty("size").GetInt64(),
                ["fileName"] = record.GetProperty("fileName").GetString(), ["ledgerIndex"] = storedIndex,
                ["custody"] = new JsonArray(new JsonObject { ["kind"] = "record.stored", ["at"] = "2026-11-27T10:00:00+08:00", ["actor"] = "U1", ["leafIndex"] = storedIndex }),
            }),
            ["copies"] = new JsonArray(),
            ["files"] = new JsonArray(),
        };
        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.AvLedgerDb>();
            db.LedgerPending.Add(new LedgerPending
            {
                Kind = PackageVerifier.SealKind, CreatedAt = factory.Clock.GetUtcNow(),
                Leaf = CanonicalJson.Serialize(new JsonObject
                {
                    ["kind"] = PackageVerifier.SealKind, ["v"] = 1, ["packageId"] = packageId, ["manifestSha256"] = Convert.ToHexStringLower(SHA256.HashData(manifestBytes)),
                    ["recordIds"] = new JsonArray(id), ["requester"] = "U1", ["at"] = "2026-11-27T02:00:00.0000000Z",
                }),
            });
            await db.SaveChangesAsync();
        }

        // Once the seal is sequenced, the record's proof is against a checkpoint that covers it.
        proof = await ProofAsync(officer, id);
        var size = proof.GetProperty("treeSize").GetInt64();
        var page = JsonDocument.Parse(await auditor.GetStringAsync($"/api/v1/ledger/leaves?start=0&end={size}")).RootElement;
        List<byte[]> leaves = [.. page.GetProperty("leaves").EnumerateArray().Select(l => Convert.FromBase64String(l.GetString()!))];
        var sealIndex = leaves.FindIndex(l => Encoding.UTF8.GetString(l).Contains(packageId, StringComparison.Ordinal));
        Assert.Equal(size, leaves.Count);
        Assert.True(sealIndex >= 0, "the checkpoint does not cover the seal");
        var treeSize = proof.GetProperty("treeSize").GetInt64();
        var note = proof.GetProperty("checkpoint").GetString()!;
        Assert.True(new NoteVerifier(key).TryVerify(note, out var body));
        Assert.True(Checkpoint.TryParse(body, out var checkpoint));
        var sealProof = TestLedger.Path([.. leaves.Select(l => MerkleHash.Leaf(l))], (int)sealIndex);

        var files = new Dictionary<string, byte[]>
        {
            ["manifest.json"] = manifestBytes,
            ["ledger/checkpoint.txt"] = Encoding.UTF8.GetBytes(note),
            ["ledger/key.txt"] = Encoding.UTF8.GetBytes(key + "\n"),
            ["ledger/proofs.json"] = TestPackages.Proofs(treeSize, checkpoint!.RootHash,
            [
                (storedIndex, Convert.FromBase64String(proof.GetProperty("leaf").GetString()!), [.. proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!))]),
                (sealIndex, leaves[(int)sealIndex], sealProof),
            ]),
            [path] = file,
        };
        var zip = Path.Combine(dir.FullName, "real.zip");
        TestPackages.WriteZip(zip, files);

        var report = await PackageVerifier.VerifyAsync(zip, key);
        Assert.True(report.Passed, report.ToText());
        Assert.True(report.SignerChecked);
        Assert.Contains(report.Verdicts, v => v.Subject == path && v.Outcome == Outcome.Passed);

        var tampered = await PackageVerifier.VerifyAsync(TestPackages.Tampered(zip, dir.FullName, "real-tampered", TestPackages.FlipByte(path)), key);
        Assert.Equal([path], tampered.Failures.Select(f => f.Subject));
    }

    /// <summary>The record's proof once the ledger has sequenced everything written so far.</summary>
    async Task<JsonElement> ProofAsync(HttpClient client, string id)
    {
        await factory.WorkersIdleAsync();
        using var response = await client.GetAsync($"/api/v1/records/{id}/proof");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }
}
