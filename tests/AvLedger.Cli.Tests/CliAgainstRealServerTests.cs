using System.Net.Http.Json;
using System.Security.Cryptography;
using AvLedger.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Cli.Tests;

/// <summary>The CLI commands against the real server on loopback (Kestrel, SQLite, local blobs).
/// One collection: these tests redirect the console and set XDG_STATE_HOME.</summary>
[Collection("console")]
public sealed class CliAgainstRealServerTests : IAsyncLifetime
{
    const string AdminPassword = "cli-test-admin-pw";
    readonly string dataDir = Directory.CreateTempSubdirectory("avledger-cli-").FullName;
    readonly string stateDir = Directory.CreateTempSubdirectory("avledger-cli-state-").FullName;
    WebApplication app = null!;
    Uri url = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", stateDir);
        app = ServeCommand.Build(dataDir, "http://127.0.0.1:0", ["--AVLEDGER_ADMIN_PASSWORD", AdminPassword]);
        await app.StartAsync();
        url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient();
        var admin = await TusUploader.SignInAsync(http, url, "admin", AdminPassword, default);
        http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        (await http.PostAsJsonAsync(new Uri(url, "/api/v1/admin/units"), new { code = "U1", name = "一中队" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync(new Uri(url, "/api/v1/admin/users"), new { username = "officer1", password = "officer-pass-1", role = "officer", displayName = "张三", badge = "500101", unitCode = "U1" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync(new Uri(url, "/api/v1/admin/devices"), new { code = "DSJ-0001", kind = "bodyWornRecorder", unitCode = "U1" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        foreach (var f in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
        Directory.Delete(dataDir, recursive: true);
        Directory.Delete(stateDir, recursive: true);
    }

    static async Task<(int Exit, string Out)> CaptureAsync(Func<Task<int>> run)
    {
        var original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            var exit = await run();
            return (exit, writer.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    async Task<SampleClips.Clip> SampleAsync(int seconds = 2) =>
        await SampleClips.WriteAsync(Path.Combine(dataDir, "in-" + Guid.NewGuid().ToString("N")), "DSJ-0001", "500101", DateTimeOffset.UtcNow.AddMinutes(-30), seconds, default);

    [Fact]
    public async Task Upload_prints_one_record_id_per_file_and_the_same_id_for_the_same_bytes()
    {
        var a = await SampleAsync();
        var b = await SampleAsync();
        var meta = new TusUploader.Metadata("DSJ-0001", "500101", null, "onSitePenalty");
        var (exit, output) = await CaptureAsync(() => UploadCommand.RunAsync([a.Path, b.Path], url.ToString(), "officer1", "officer-pass-1", meta, default));
        Assert.Equal(0, exit);
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, ids.Length);
        Assert.All(ids, id => Assert.Equal(26, id.Trim().Length));

        var (again, secondOutput) = await CaptureAsync(() => UploadCommand.RunAsync([a.Path], url.ToString(), "officer1", "officer-pass-1", meta, default));
        Assert.Equal(0, again);
        Assert.Equal(ids[0].Trim(), secondOutput.Trim());
    }

    [Fact]
    public async Task Upload_with_a_wrong_password_fails_clearly()
    {
        var a = await SampleAsync(1);
        var (exit, output) = await CaptureAsync(() => UploadCommand.RunAsync([a.Path], url.ToString(), "officer1", "wrong-password", new(null, null, null, null), default));
        Assert.Equal(1, exit);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task An_interrupted_upload_of_the_same_file_resumes_where_the_server_stopped()
    {
        var clip = await SampleAsync(4);
        using var http = new HttpClient();
        var token = await TusUploader.SignInAsync(http, url, "officer1", "officer-pass-1", default);
        using var cut = new CancellationTokenSource();
        var first = new TusUploader(http, url, token, TextWriter.Null)
        {
            ChunkSize = 64 * 1024,
            AfterChunk = offset => { if (offset >= 3 * 64 * 1024) cut.Cancel(); return Task.CompletedTask; },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.UploadAsync(clip.Path, new(null, null, null, null), cut.Token));

        using var log = new StringWriter();
        var second = new TusUploader(http, url, token, log) { ChunkSize = 64 * 1024 };
        var outcome = await second.UploadAsync(clip.Path, new(null, null, null, null), default);

        Assert.Contains("resuming at 196,608", log.ToString(), StringComparison.Ordinal);
        Assert.NotNull(outcome.RecordId);
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var stored = await http.GetByteArrayAsync(new Uri(url, $"/api/v1/records/{outcome.RecordId}/content"));
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(clip.Path)), SHA256.HashData(stored));
    }

    [Fact]
    public async Task Scrub_passes_an_intact_vault_and_names_a_damaged_record()
    {
        var clip = await SampleAsync();
        var (_, output) = await CaptureAsync(() => UploadCommand.RunAsync([clip.Path], url.ToString(), "officer1", "officer-pass-1", new(null, null, null, null), default));
        var recordId = output.Trim();

        var (clean, cleanOutput) = await CaptureAsync(() => ScrubCommand.RunAsync(dataDir, default));
        Assert.True(clean == 0, cleanOutput);

        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(clip.Path)));
        var blob = Directory.EnumerateFiles(Path.Combine(dataDir, "blobs", "originals"), sha, SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var f = new FileStream(blob, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = f.Length / 2;
            var b = f.ReadByte();
            f.Position = f.Length / 2;
            f.WriteByte((byte)(b ^ 0x10));
        }
        var (damaged, report) = await CaptureAsync(() => ScrubCommand.RunAsync(dataDir, default));
        Assert.Equal(1, damaged);
        Assert.Contains($"DAMAGED record {recordId}", report, StringComparison.Ordinal);
    }
}
