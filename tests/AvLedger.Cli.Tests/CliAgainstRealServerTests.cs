using System.Security.Cryptography;
using AvLedger.Media;

namespace AvLedger.Cli.Tests;

/// <summary>The CLI commands against the real server on loopback (Kestrel, SQLite, local blobs).
/// One collection: these tests redirect the console and set XDG_STATE_HOME.</summary>
[Collection("console")]
public sealed class CliAgainstRealServerTests : IAsyncLifetime
{
    readonly string stateDir = Directory.CreateTempSubdirectory("avledger-cli-state-").FullName;
    RealServer server = null!;
    Uri url = null!;
    string dataDir = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", stateDir);
        server = await RealServer.StartWithPeopleAsync();
        (url, dataDir) = (server.Url, server.DataDir);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
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
        var (exit, output) = await CaptureAsync(() => UploadCommand.RunAsync([a.Path, b.Path], url.ToString(), "officer1", RealServer.OfficerPassword, meta, default));
        Assert.Equal(0, exit);
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, ids.Length);
        Assert.All(ids, id => Assert.Equal(26, id.Trim().Length));

        var (again, secondOutput) = await CaptureAsync(() => UploadCommand.RunAsync([a.Path], url.ToString(), "officer1", RealServer.OfficerPassword, meta, default));
        Assert.Equal(0, again);
        Assert.Equal(ids[0].Trim(), secondOutput.Trim());
    }

    [Fact]
    public async Task Upload_without_a_device_is_refused_before_anything_is_sent()
    {
        var a = await SampleAsync(1);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        int exit;
        string output;
        try
        {
            (exit, output) = await CaptureAsync(() => UploadCommand.RunAsync([a.Path], url.ToString(), "officer1", RealServer.OfficerPassword, new(null, "500101", null, null), default));
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Equal(2, exit);
        Assert.Equal("", output.Trim());
        Assert.Contains("--device", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("已登记设备", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_with_a_wrong_password_fails_clearly()
    {
        var a = await SampleAsync(1);
        var (exit, output) = await CaptureAsync(() => UploadCommand.RunAsync([a.Path], url.ToString(), "officer1", "wrong-password", new("DSJ-0001", null, null, null), default));
        Assert.Equal(1, exit);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task An_interrupted_upload_of_the_same_file_resumes_where_the_server_stopped()
    {
        var clip = await SampleAsync(4);
        using var http = new HttpClient();
        var token = await TusUploader.SignInAsync(http, url, "officer1", RealServer.OfficerPassword, default);
        using var cut = new CancellationTokenSource();
        var first = new TusUploader(http, url, token, TextWriter.Null)
        {
            ChunkSize = 64 * 1024,
            AfterChunk = offset => { if (offset >= 3 * 64 * 1024) cut.Cancel(); return Task.CompletedTask; },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.UploadAsync(clip.Path, new("DSJ-0001", null, null, null), cut.Token));

        using var log = new StringWriter();
        var second = new TusUploader(http, url, token, log) { ChunkSize = 64 * 1024 };
        var outcome = await second.UploadAsync(clip.Path, new("DSJ-0001", null, null, null), default);

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
        var (_, output) = await CaptureAsync(() => UploadCommand.RunAsync([clip.Path], url.ToString(), "officer1", RealServer.OfficerPassword, new("DSJ-0001", null, null, null), default));
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
