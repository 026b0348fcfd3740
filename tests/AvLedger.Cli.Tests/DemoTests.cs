using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AvLedger.Cli.Tests;

/// <summary>`./avledger demo` as a new user runs it: a clean start, a loading page until its data is ready, and then
/// every page route answered without a server error for every person of the demo corps, over the demo's own data
/// (joint and grouped sessions with gaps, a unit without a head, a case, packages, records in purge recovery).</summary>
public sealed partial class DemoTests
{
    static readonly string[] StaticRoutes =
    [
        "/workbench", "/records", "/upload", "/approvals", "/requests", "/cases", "/compliance/late-saves", "/compliance/recorded-times",
        "/exports", "/retention", "/inbox", "/no-recording", "/sessions", "/admin/users", "/admin/units", "/role-grants",
        "/account", "/password", "/not-found", "/docs",
    ];

    [Fact]
    public async Task The_demo_starts_cleanly_and_every_page_answers_every_person_without_a_server_error()
    {
        var dir = Directory.CreateTempSubdirectory("avledger-demo-").FullName;
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "avledger.dll"), "demo", "--data-dir", dir, "--urls", url.ToString().TrimEnd('/')])
            start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AVLEDGER", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        using var demo = Process.Start(start)!;
        var lines = new ConcurrentQueue<string>();
        var ready = new TaskCompletionSource();
        demo.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lines.Enqueue(e.Data);
            if (e.Data.Contains("按 Ctrl+C 停止", StringComparison.Ordinal)) ready.TrySetResult();
        };
        demo.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue("stderr: " + e.Data); };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        try
        {
            using var anonymous = new HttpClient { BaseAddress = url };
            var sawLoading = false;
            while (!ready.Task.IsCompleted)
            {
                Assert.False(demo.HasExited, $"the demo ended early:\n{string.Join('\n', lines)}");
                try
                {
                    using var answer = await anonymous.GetAsync("/login");
                    if (!ready.Task.IsCompleted && answer.StatusCode == HttpStatusCode.ServiceUnavailable)
                        sawLoading |= (await answer.Content.ReadAsStringAsync()).Contains("演示数据准备中", StringComparison.Ordinal);
                    else if (!ready.Task.IsCompleted)
                        Assert.Fail($"/login answered {answer.StatusCode} before the demo's data was ready");
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(2)));
            }
            Assert.True(sawLoading, "no loading page was seen while the demo prepared its data");
            var output = string.Join('\n', lines);
            Assert.DoesNotMatch(LogLine(), output);
            Assert.DoesNotContain("{\"", output, StringComparison.Ordinal);
            Assert.Contains("部门负责人", output, StringComparison.Ordinal);

            var people = new List<(string User, string Password)> { ("admin", DemoCommand.AdminPassword) };
            people.AddRange(DemoCommand.People.Select(p => (p.User, p.Password)));
            var routes = new HashSet<string>(StaticRoutes);
            foreach (var (user, password) in people)
                routes.UnionWith(await DetailRoutesAsync(url, user, password));
            Assert.Contains(routes, r => r.StartsWith("/sessions/", StringComparison.Ordinal));
            Assert.Contains(routes, r => r.StartsWith("/exports/", StringComparison.Ordinal));

            var failures = new List<string>();
            foreach (var (user, password) in people)
            {
                using var web = await WebSignInAsync(url, user, password);
                foreach (var route in routes.Order(StringComparer.Ordinal))
                {
                    using var answer = await web.GetAsync(route);
                    var body = await answer.Content.ReadAsStringAsync();
                    if ((int)answer.StatusCode >= 500 || body.Contains("系统出错", StringComparison.Ordinal))
                        failures.Add($"{user} {route}: {(int)answer.StatusCode}");
                }
            }
            Assert.True(failures.Count == 0, string.Join('\n', failures));
        }
        finally
        {
            if (!demo.HasExited) demo.Kill(entireProcessTree: true);
            await demo.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"^(warn|info|fail|crit|dbug): ", RegexOptions.Multiline)]
    private static partial Regex LogLine();

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The pages of everything <paramref name="user"/> can list through the API.</summary>
    static async Task<IEnumerable<string>> DetailRoutesAsync(Uri url, string user, string password)
    {
        using var api = new HttpClient { BaseAddress = url };
        api.DefaultRequestHeaders.Authorization = new("Bearer", await TusUploader.SignInAsync(api, url, user, password, default));
        var routes = new List<string>();
        async Task<List<JsonElement>> ListAsync(string path)
        {
            using var answer = await api.GetAsync(path);
            if (!answer.IsSuccessStatusCode) return [];
            var json = await answer.Content.ReadFromJsonAsync<JsonElement>();
            var items = json.ValueKind == JsonValueKind.Array ? json : json.TryGetProperty("items", out var i) ? i : default;
            return items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];
        }
        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        foreach (var record in await ListAsync("/api/v1/records?pageSize=200"))
        {
            routes.Add($"/records/{Text(record, "id")}");
            if (Text(record, "sessionId") is { } session) routes.Add($"/sessions/{session}");
            foreach (var derivative in await ListAsync($"/api/v1/records/{Text(record, "id")}/derivatives"))
                routes.Add($"/derivatives/{Text(derivative, "id")}");
        }
        routes.AddRange((await ListAsync("/api/v1/sessions?pageSize=200")).Select(s => $"/sessions/{Text(s, "id")}"));
        routes.AddRange((await ListAsync("/api/v1/cases")).Select(c => $"/cases/{Uri.EscapeDataString(Text(c, "number") ?? "")}"));
        routes.AddRange((await ListAsync("/api/v1/exports")).Select(x => $"/exports/{Text(x, "id")}"));
        return routes;
    }

    /// <summary>A browser's session: signed in through the login form, with its cookie.</summary>
    static async Task<HttpClient> WebSignInAsync(Uri url, string user, string password)
    {
        var web = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = url };
        var form = await web.GetStringAsync("/login");
        string Hidden(string name) => Regex.Match(form, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value;
        using var signedIn = await web.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = Hidden("_handler"), ["__RequestVerificationToken"] = Hidden("__RequestVerificationToken"),
            ["username"] = user, ["password"] = password,
        }));
        Assert.True(signedIn.RequestMessage!.RequestUri!.AbsolutePath != "/login", $"{user} could not sign in through the form");
        return web;
    }
}
