using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Docs;

/// <summary>/openapi/v1.json and /docs as an integrator meets them: every operation in words, and a
/// reference page that asks nothing of any machine but this server.</summary>
public sealed partial class ApiDocsTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    [Fact]
    public async Task Every_operation_has_a_chinese_summary_and_every_parameter_and_response_is_described()
    {
        using var client = factory.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var missing = new List<string>();
        var operations = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        foreach (var op in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
        {
            operations++;
            var where = $"{op.Name.ToUpperInvariant()} {path.Name}";
            if (Text(op.Value, "summary") is not { } summary || !Cjk().IsMatch(summary)) missing.Add($"{where}: summary");
            foreach (var p in Parameters(path.Value).Concat(Parameters(op.Value)))
                if (Text(p, "description") is null) missing.Add($"{where}: parameter {Text(p, "name")}");
            if (!op.Value.TryGetProperty("responses", out var responses) || !responses.EnumerateObject().Any()) missing.Add($"{where}: responses");
            else
                foreach (var r in responses.EnumerateObject())
                    if (Text(r.Value, "description") is null) missing.Add($"{where}: response {r.Name}");
        }
        Assert.True(operations > 50, $"only {operations} operations");
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task Api_operations_name_their_refusals_as_problem_details_in_chinese()
    {
        using var client = factory.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var content = doc.GetProperty("paths").GetProperty("/api/v1/records/{id}/content").GetProperty("get");
        var refused = content.GetProperty("responses").GetProperty("4XX");
        Assert.Matches(Cjk(), refused.GetProperty("description").GetString()!);
        Assert.True(content.GetProperty("responses").GetProperty("200").TryGetProperty("content", out _), "the original's bytes are a documented success");
    }

    [Fact]
    public async Task The_reference_page_and_its_assets_name_no_other_machine()
    {
        using var client = factory.CreateClient();
        var html = await client.GetStringAsync("/docs");
        Assert.Empty(OtherHosts(html));

        var assets = Assets().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith("scalar.js", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Assert.False(Absolute().IsMatch(asset), asset);
            using var response = await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), asset));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            // The vendor bundle carries many addresses as plain text (help links, placeholders); what it
            // would fetch on its own is decided by the configuration below, and the browser test watches it.
            if (!asset.EndsWith("scalar.js", StringComparison.Ordinal)) Assert.Empty(OtherHosts(body));
        }

        // The configuration the page hands the bundle: nothing that fetches from, or sends to, the vendor.
        var config = Configuration().Match(html);
        Assert.True(config.Success, html);
        using var settings = JsonDocument.Parse(config.Groups["json"].Value);
        var s = settings.RootElement;
        Assert.False(s.GetProperty("withDefaultFonts").GetBoolean(), "fonts from fonts.scalar.com");
        Assert.False(s.GetProperty("telemetry").GetBoolean(), "telemetry");
        Assert.True(s.GetProperty("agent").GetProperty("disabled").GetBoolean(), "Ask AI");
        Assert.True(s.GetProperty("mcp").GetProperty("disabled").GetBoolean(), "MCP");
        Assert.True(s.GetProperty("hideClientButton").GetBoolean(), "the hosted client");
        Assert.Equal("never", s.GetProperty("showDeveloperTools").GetString());
    }

    static List<JsonElement> Parameters(JsonElement element) =>
        element.TryGetProperty("parameters", out var ps) ? [.. ps.EnumerateArray()] : [];

    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;

    static List<string> OtherHosts(string text) =>
        [.. Absolute().Matches(text).Select(m => m.Value).Where(u => !u.StartsWith("http://localhost", StringComparison.Ordinal))];

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"(?:https?:)?//[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}[^\s""'`)]*")]
    private static partial Regex Absolute();

    [GeneratedRegex(@"<(?:script|link)\b[^>]*\b(?:src|href)=""(?<url>[^""]+)""")]
    private static partial Regex Assets();

    [GeneratedRegex(@"initialize\([^,]+,\s*(?:true|false),\s*(?<json>\{.*\})\s*(?:,[^)]*)?\)", RegexOptions.Singleline)]
    private static partial Regex Configuration();
}
