using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Hosting;

public sealed class HostingTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task Health_answers_without_sign_in()
    {
        using var client = factory.CreateClient();
        // The first line; the test server runs with a single administrator, which the next lines announce (RoleGrantTests).
        Assert.Equal("ok", (await client.GetStringAsync("/healthz")).Split('\n')[0]);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_stable_endpoints_and_docs_render_it()
    {
        using var client = factory.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/auth/token", paths);
        Assert.Contains("/api/v1/records/{id}/content", paths);
        Assert.Contains("/api/v1/uploads", paths);

        using var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        var html = await docs.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        // The reference is served from the package itself, not from a CDN the machine cannot reach.
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/scalar.js")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/legal-holds", "post", "201", "HoldView")]
    [InlineData("/api/v1/purge-proposals", "get", "200", "ProposalView")]
    [InlineData("/api/v1/devices", "get", "200", "DeviceView")]
    [InlineData("/api/v1/records/{id}/clips", "post", "202", "DerivativeView")]
    public async Task The_openapi_document_gives_use_cases_their_response_schemas_and_refusals_as_problem_details(string path, string method, string status, string schema)
    {
        using var client = factory.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var responses = doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
        var success = responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema").GetRawText();
        Assert.Contains(schema, success, StringComparison.Ordinal);
        var refused = responses.GetProperty("4XX").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("properties");
        foreach (var member in new[] { "title", "detail", "code", "titleEn", "detailEn" }) Assert.True(refused.TryGetProperty(member, out _), member);
    }

    [Fact]
    public async Task The_first_start_creates_a_private_master_key()
    {
        using var client = factory.CreateClient();
        await client.GetStringAsync("/healthz");
        var key = Path.Combine(factory.DataDir, "keys", "master.key");
        Assert.True(File.Exists(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    const UnixFileMode PrivateDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_database_and_its_wal_are_readable_by_the_server_alone()
    {
        // A write, so the WAL and shared-memory files exist.
        using var admin = await factory.AdminAsync();
        Assert.Equal(PrivateDir, File.GetUnixFileMode(factory.DataDir));
        foreach (var name in new[] { "avledger.db", "avledger.db-wal", "avledger.db-shm" })
        {
            var path = Path.Combine(factory.DataDir, name);
            Assert.True(File.Exists(path), name);
            Assert.True(File.GetUnixFileMode(path) == PrivateFile, $"{name} is {File.GetUnixFileMode(path)}");
        }
    }

    [Fact]
    public async Task Keys_and_the_signed_checkpoints_kept_outside_the_database_are_private()
    {
        using var client = factory.CreateClient();
        await client.GetStringAsync("/healthz");
        factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("x"u8.ToArray());
        var keys = Path.Combine(factory.DataDir, "keys");
        var state = Path.Combine(factory.DataDir, "state");
        foreach (var dir in new[] { keys, Path.Combine(keys, "web"), state })
            Assert.True(File.GetUnixFileMode(dir) == PrivateDir, $"{dir} is {File.GetUnixFileMode(dir)}");
        var files = new[] { Path.Combine(keys, "master.key"), Path.Combine(keys, "ledger.key"), Path.Combine(state, "checkpoints") }
            .Concat(Directory.GetFiles(Path.Combine(keys, "web"), "*.xml")).ToList();
        Assert.True(files.Count > 3, "no data-protection key was written");
        foreach (var file in files)
            Assert.True(File.Exists(file) && File.GetUnixFileMode(file) == PrivateFile, $"{file} is {(File.Exists(file) ? File.GetUnixFileMode(file) : "missing")}");
    }

    [Fact]
    public async Task Cookie_keys_on_disk_are_encrypted_with_the_master_key()
    {
        using var client = factory.CreateClient();
        await client.GetStringAsync("/healthz");
        factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("x"u8.ToArray());
        var files = Directory.GetFiles(Path.Combine(factory.DataDir, "keys", "web"), "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file);
            // Unencrypted, data protection writes the key as <masterKey …><value>base64</value></masterKey>.
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            var secret = Assert.Single(XElement.Parse(xml).Descendants(), e => e.Name.LocalName == "encryptedSecret");
            Assert.Contains("ciphertext", secret.ToString(), StringComparison.Ordinal);
        }
        // Read back from disk (the key manager does not cache), they open with the master key.
        var read = factory.Services.GetRequiredService<IKeyManager>().GetAllKeys();
        Assert.Equal(files.Length, read.Count);
        Assert.All(read, k => Assert.NotNull(k.Descriptor));
    }
}
