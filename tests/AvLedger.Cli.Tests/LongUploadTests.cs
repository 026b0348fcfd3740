using System.Net;
using System.Security.Cryptography;
using AvLedger.Media;

namespace AvLedger.Cli.Tests;

/// <summary>An upload that outlives the access token it started with (a 15-minute token, hours of
/// recordings over a slow link) keeps going: the uploader refreshes its sign-in.</summary>
[Collection("console")]
public sealed class LongUploadTests : IAsyncLifetime
{
    readonly string stateDir = Directory.CreateTempSubdirectory("avledger-cli-state-").FullName;
    RealServer server = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", stateDir);
        server = await RealServer.StartWithPeopleAsync("--AvLedger:TokenLifetime", "00:00:02");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(stateDir, recursive: true);
    }

    [Fact]
    public async Task An_upload_longer_than_the_access_token_refreshes_its_sign_in_and_is_stored()
    {
        var clip = await SampleClips.WriteAsync(Path.Combine(server.DataDir, "in-long"), "DSJ-0001", "500101", DateTimeOffset.UtcNow.AddMinutes(-30), 4, default);
        using var http = new HttpClient();
        var signIn = await ApiSignIn.StartAsync(http, server.Url, "officer1", RealServer.OfficerPassword, default);
        var firstToken = await signIn.AccessTokenAsync(default);
        var uploader = new TusUploader(http, server.Url, signIn, TextWriter.Null)
        {
            ChunkSize = 64 * 1024,
            // Slow enough that the upload spans several of the server's 2-second tokens.
            AfterChunk = _ => Task.Delay(TimeSpan.FromMilliseconds(700)),
        };
        var started = DateTime.UtcNow;
        var outcome = await uploader.UploadAsync(clip.Path, new("DSJ-0001", "500101", null, "onSitePenalty"), default);
        Assert.True(DateTime.UtcNow - started > TimeSpan.FromSeconds(5), "the upload should outlast two tokens");
        Assert.Null(outcome.Error);
        Assert.NotNull(outcome.RecordId);
        Assert.True(signIn.Refreshes >= 2, $"refreshed {signIn.Refreshes} times");

        // The first token is dead by now: the server really did refuse old tokens.
        using var stale = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, $"/api/v1/records/{outcome.RecordId}"));
        stale.Headers.Authorization = new("Bearer", firstToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(stale)).StatusCode);

        using var fresh = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, $"/api/v1/records/{outcome.RecordId}/content"));
        fresh.Headers.Authorization = new("Bearer", await signIn.AccessTokenAsync(default));
        using var content = await http.SendAsync(fresh);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(clip.Path)), SHA256.HashData(await content.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_token_refused_mid_upload_is_renewed_once_and_the_upload_goes_on()
    {
        var clip = await SampleClips.WriteAsync(Path.Combine(server.DataDir, "in-refused"), "DSJ-0001", "500101", DateTimeOffset.UtcNow.AddMinutes(-30), 2, default);
        using var http = new HttpClient();
        // A clock here that stood still (a suspended laptop): the uploader thinks its token is fresh
        // when the server has refused it, so only the 401 path can keep the upload alive.
        var signIn = await ApiSignIn.StartAsync(http, server.Url, "officer1", RealServer.OfficerPassword, default, new StoppedClock(DateTimeOffset.UtcNow));
        using var log = new StringWriter();
        var uploader = new TusUploader(http, server.Url, signIn, log)
        {
            ChunkSize = 64 * 1024,
            AfterChunk = offset => offset == 64 * 1024 ? Task.Delay(TimeSpan.FromSeconds(3)) : Task.CompletedTask,
        };
        var outcome = await uploader.UploadAsync(clip.Path, new("DSJ-0001", "500101", null, "onSitePenalty"), default);
        Assert.Null(outcome.Error);
        Assert.NotNull(outcome.RecordId);
        Assert.Contains("sign-in renewed", log.ToString(), StringComparison.Ordinal);
    }

    sealed class StoppedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
