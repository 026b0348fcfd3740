using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Cli.Tests;

/// <summary>The server as `./avledger serve` runs it (Kestrel on a free loopback port, SQLite,
/// local blobs) on a fresh data dir, with one unit, an officer (badge 500101, device DSJ-0001)
/// and an auditor.</summary>
public sealed class RealServer : IAsyncDisposable
{
    public const string AdminPassword = "real-server-admin-pw";
    public const string OfficerPassword = "officer-pass-1";
    public const string AuditorPassword = "auditor-pass-1";

    WebApplication app = null!;

    public string DataDir { get; } = Directory.CreateTempSubdirectory("avledger-cli-").FullName;
    public Uri Url { get; private set; } = null!;

    /// <summary>Configuration given as `serve` arguments ("--AvLedger:TokenLifetime", "00:00:02").</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    public static async Task<RealServer> StartWithPeopleAsync(params string[] settings)
    {
        var server = new RealServer { Settings = settings };
        await server.StartAsync();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await TusUploader.SignInAsync(http, server.Url, "admin", AdminPassword, default));
        (await http.PostAsJsonAsync(new Uri(server.Url, "/api/v1/units"), new { code = "U1", name = "一中队" })).EnsureSuccessStatusCode();
        await server.AddPersonAsync(http, new { username = "officer1", password = InitialPassword, roles = new[] { "officer" }, name = "张三", badge = "500101", unitCode = "U1" }, "officer1", OfficerPassword);
        await server.AddPersonAsync(http, new { username = "auditor1", password = InitialPassword, roles = new[] { "auditor" }, name = "审计员", unitCode = "U1" }, "auditor1", AuditorPassword);
        (await http.PostAsJsonAsync(new Uri(server.Url, "/api/v1/devices"), new { code = "DSJ-0001", kind = "bodyWornRecorder", unitCode = "U1" })).EnsureSuccessStatusCode();
        return server;
    }

    const string InitialPassword = "initial-pass-1";

    /// <summary>Creates an account and replaces its administrator-set password, as its owner would.</summary>
    public async Task AddPersonAsync(HttpClient admin, object user, string username, string password)
    {
        (await admin.PostAsJsonAsync(new Uri(Url, "/api/v1/users"), user)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync(new Uri(Url, "/api/v1/auth/password"), new { username, currentPassword = InitialPassword, newPassword = password })).EnsureSuccessStatusCode();
    }

    /// <summary>Starts (or, after <see cref="StopAsync"/>, restarts) on the same data dir.</summary>
    public async Task StartAsync()
    {
        app = ServeCommand.Build(DataDir, "http://127.0.0.1:0", ["--AVLEDGER_ADMIN_PASSWORD", AdminPassword, "--AvLedger:SingleAdministrator", "true", .. Settings]);
        await app.StartAsync();
        Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task StopAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public async Task<HttpClient> ClientAsync(string user, string password)
    {
        var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await TusUploader.SignInAsync(http, Url, user, password, default));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.EnumerateFiles(DataDir, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
        Directory.Delete(DataDir, recursive: true);
    }
}
