using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Hosting;

/// <summary>What every request and response gets: text without hidden characters, the browser's
/// protective headers, and HEAD wherever GET answers.</summary>
public sealed partial class RequestHygieneTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();

    static async Task<string> UnitNamesAsync(HttpClient admin) => await admin.GetStringAsync("/api/v1/units");

    [Theory]
    [InlineData("\u202E")]
    [InlineData("\u0000")]
    [InlineData("\u2067")]
    [InlineData("\u200F")]
    public async Task A_name_with_a_control_or_bidi_character_is_refused_and_nothing_is_created(string hidden)
    {
        using var admin = await factory.AdminAsync();
        var code = $"H{Guid.NewGuid():N}"[..10];
        using var refused = await admin.PostAsJsonAsync("/api/v1/units", new { code, name = $"第一{hidden}中队" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await JsonAsync(refused);
        Assert.Equal("text-forbidden-character", problem.GetProperty("code").GetString());
        Assert.Contains($"U+{(int)hidden[0]:X4}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(code, await UnitNamesAsync(admin), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_escaped_override_in_json_is_seen_for_what_it_is()
    {
        using var admin = await factory.AdminAsync();
        var code = $"E{Guid.NewGuid():N}"[..10];
        using var body = new StringContent($$"""{"code":"{{code}}","name":"abc\u202Edef"}""", Encoding.UTF8, "application/json");
        using var refused = await admin.PostAsync("/api/v1/units", body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("text-forbidden-character", (await JsonAsync(refused)).GetProperty("code").GetString());
        Assert.DoesNotContain(code, await UnitNamesAsync(admin), StringComparison.Ordinal);

        // Ordinary Chinese text with line breaks is untouched.
        using var fine = await admin.PostAsJsonAsync("/api/v1/units", new { code, name = "第二中队（江北）" });
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);
    }

    [Fact]
    public async Task A_csv_import_and_a_query_with_a_hidden_character_are_refused()
    {
        using var admin = await factory.AdminAsync();
        using var csv = new StringContent("code,name,parentCode\nC9X1,第九\u202E中队,\n", Encoding.UTF8, "text/csv");
        using var import = await admin.PostAsync("/api/v1/units/import", csv);
        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Equal("text-forbidden-character", (await JsonAsync(import)).GetProperty("code").GetString());
        Assert.DoesNotContain("C9X1", await UnitNamesAsync(admin), StringComparison.Ordinal);

        using var search = await admin.GetAsync("/api/v1/records?q=%E2%80%AEabc");
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
    }

    [Fact]
    public async Task A_page_form_with_a_hidden_character_gets_a_page_that_says_why()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await client.GetStringAsync("/login");
        var token = TokenPattern().Match(login).Groups[1].Value;
        Assert.NotEmpty(token);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["username"] = "admin\u202E", ["password"] = "whatever",
        });
        using var posted = await client.PostAsync("/login", form);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var page = await posted.Content.ReadAsStringAsync();
        Assert.Contains("不允许的字符", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [Fact]
    public async Task Pages_carry_a_content_security_policy_and_the_usual_headers()
    {
        using var client = factory.CreateClient();
        using var page = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval'", csp.Replace("'wasm-unsafe-eval'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        // Over plain HTTP there is no HSTS: a browser would otherwise refuse the server's own address.
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));

        using var api = await client.GetAsync("/api/v1/records");
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Over_tls_every_answer_says_to_keep_to_tls()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var page = await client.GetAsync("/login");
        Assert.StartsWith("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_get_endpoint_answers_head_too()
    {
        using var client = factory.CreateClient();
        await client.GetStringAsync("/healthz");
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Methods.Contains("GET")).ToList();
        Assert.True(endpoints.Count > 50, $"only {endpoints.Count} GET endpoints found");
        // tus has a HEAD of its own beside the upload's status GET.
        var head = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("HEAD") == true).Select(e => e.RoutePattern.RawText).ToHashSet();
        Assert.Empty(endpoints.Where(e => !head.Contains(e.Pattern)).Select(e => e.Pattern));
    }

    [Fact]
    public async Task Head_on_a_recordings_content_gives_its_headers_and_no_body()
    {
        var person = await factory.PersonAsync();
        using var officer = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        var file = await Tus.NewSampleAsync(1);
        var id = (await Tus.UploadAsync(officer, file, extra: [("deviceCode", person.DeviceCode)])).RecordId!;
        using var head = await officer.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/records/{id}/content"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(file.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        using var health = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var login = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/login"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}
