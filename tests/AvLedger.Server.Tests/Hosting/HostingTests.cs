using System.Net;
using System.Text.Json;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Hosting;

public sealed class HostingTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task Health_answers_without_sign_in()
    {
        using var client = factory.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
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

    [Fact]
    public async Task The_first_start_creates_a_private_master_key()
    {
        using var client = factory.CreateClient();
        await client.GetStringAsync("/healthz");
        var key = Path.Combine(factory.DataDir, "keys", "master.key");
        Assert.True(File.Exists(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }
}
