using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AvLedger.Cli;

/// <summary>A tus 1.0.0 client for recorder files: hashes first, uploads in checksummed PATCHes,
/// retries with backoff, and resumes an interrupted upload of the same file (also after its own
/// crash, through a small state file). Its sign-in renews itself, so an upload may take hours.</summary>
public sealed class TusUploader(HttpClient http, Uri server, ApiSignIn signIn, TextWriter log)
{
    public TusUploader(HttpClient http, Uri server, string token, TextWriter log) : this(http, server, ApiSignIn.Fixed(http, server, token), log) { }

    public int ChunkSize { get; init; } = 32 * 1024 * 1024;

    /// <summary>Called after each acknowledged PATCH with the server's offset.</summary>
    public Func<long, Task>? AfterChunk { get; init; }
    static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(30)];

    public sealed record Metadata(string? DeviceCode, string? OfficerBadge, string? RecordedAt, string? ActivityType, string? SessionId = null);
    public sealed record Outcome(string? RecordId, bool Duplicate, string? Error);
    sealed record Status(string State, string? RecordId, bool Duplicate, string? Error);

    /// <summary>An access token for a short command (one that ends well within the token's life).</summary>
    public static async Task<string> SignInAsync(HttpClient http, Uri server, string user, string password, CancellationToken ct) =>
        await (await ApiSignIn.StartAsync(http, server, user, password, ct)).AccessTokenAsync(ct);

    public async Task<Outcome> UploadAsync(string path, Metadata meta, CancellationToken ct)
    {
        var file = new FileInfo(path);
        if (!file.Exists) return new Outcome(null, false, "file not found");
        log.WriteLine($"{file.Name}: hashing {file.Length:N0} bytes…");
        string sha;
        await using (var hashStream = file.OpenRead()) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(hashStream, ct));

        var state = ResumeState.Load();
        var stateKey = $"{server}|{sha}|{file.Length}";
        Uri? location = state.TryGetValue(stateKey, out var saved) ? new Uri(saved) : null;
        long offset = -1;
        if (location is not null)
        {
            offset = await WithRetry(() => HeadAsync(location, ct), ct);
            if (offset < 0) location = null;
            else log.WriteLine($"{file.Name}: resuming at {offset:N0} of {file.Length:N0} bytes");
        }
        if (location is null)
        {
            location = await WithRetry(() => CreateAsync(file, sha, meta, ct), ct);
            offset = 0;
            state[stateKey] = location.ToString();
            ResumeState.Save(state);
        }

        await using (var source = file.OpenRead())
        {
            var buffer = new byte[(int)Math.Min(ChunkSize, Math.Max(1, file.Length))];
            var lastReport = DateTime.UtcNow;
            while (offset < file.Length)
            {
                var count = (int)Math.Min(buffer.Length, file.Length - offset);
                source.Position = offset;
                await source.ReadExactlyAsync(buffer.AsMemory(0, count), ct);
                var at = offset;
                offset = await WithRetry(async () =>
                {
                    var (ok, next) = await PatchAsync(location, at, buffer, count, ct);
                    return ok ? next : await HeadAsync(location, ct) is var head and >= 0 ? head : throw new UploadFailedException("the server no longer knows this upload");
                }, ct);
                if (AfterChunk is not null) await AfterChunk(offset);
                if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(2) || offset == file.Length)
                {
                    log.WriteLine($"{file.Name}: {offset * 100.0 / file.Length:F0}% ({offset:N0}/{file.Length:N0})");
                    lastReport = DateTime.UtcNow;
                }
            }
        }

        var status = await WaitForOutcomeAsync(location, ct);
        state.Remove(stateKey);
        ResumeState.Save(state);
        return status.State == "stored"
            ? new Outcome(status.RecordId, status.Duplicate, status.RecordId is null ? "duplicates a stored record you may not see" : null)
            : new Outcome(null, false, status.Error ?? status.State);
    }

    async Task<Uri> CreateAsync(FileInfo file, string sha, Metadata meta, CancellationToken ct)
    {
        var pairs = new List<(string, string?)>
        {
            ("filename", file.Name), ("sha256", sha), ("deviceCode", meta.DeviceCode),
            ("officerBadge", meta.OfficerBadge), ("recordedAt", meta.RecordedAt), ("activityType", meta.ActivityType), ("sessionId", meta.SessionId),
        };
        var header = string.Join(',', pairs.Where(p => !string.IsNullOrEmpty(p.Item2))
            .Select(p => $"{p.Item1} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Item2!))}"));
        using var request = await TusAsync(HttpMethod.Post, new Uri(server, "/api/v1/uploads"), ct);
        request.Headers.Add("Upload-Length", file.Length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", header);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw Classify(response, await ProblemText(response, ct));
        return new Uri(server, response.Headers.Location!);
    }

    /// <returns>The server's offset, or -1 when the upload is gone or unknown.</returns>
    async Task<long> HeadAsync(Uri location, CancellationToken ct)
    {
        using var request = await TusAsync(HttpMethod.Head, location, ct);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Forbidden) return -1;
        if (!response.IsSuccessStatusCode) throw Classify(response, $"HEAD answered {(int)response.StatusCode}");
        return long.Parse(response.Headers.GetValues("Upload-Offset").First(), CultureInfo.InvariantCulture);
    }

    async Task<(bool Ok, long Offset)> PatchAsync(Uri location, long offset, byte[] buffer, int count, CancellationToken ct)
    {
        using var request = await TusAsync(HttpMethod.Patch, location, ct);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Checksum", "sha256 " + Convert.ToBase64String(SHA256.HashData(buffer.AsSpan(0, count))));
        request.Content = new ByteArrayContent(buffer, 0, count);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NoContent)
            return (true, long.Parse(response.Headers.GetValues("Upload-Offset").First(), CultureInfo.InvariantCulture));
        if (response.StatusCode == HttpStatusCode.Conflict || (int)response.StatusCode == 460) return (false, offset);
        throw Classify(response, await ProblemText(response, ct));
    }

    async Task<Status> WaitForOutcomeAsync(Uri location, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var status = await WithRetry(async () =>
            {
                using var request = await AuthorizedAsync(HttpMethod.Get, location, ct);
                using var response = await http.SendAsync(request, ct);
                if (!response.IsSuccessStatusCode) throw Classify(response, await ProblemText(response, ct));
                return (await response.Content.ReadFromJsonAsync<Status>(JsonSerializerOptions.Web, ct))!;
            }, ct);
            if (status.State is "stored" or "rejected") return status;
            if (DateTime.UtcNow - started > TimeSpan.FromMinutes(30)) throw new UploadFailedException("the server did not finish processing within 30 minutes");
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    async Task<T> WithRetry<T>(Func<Task<T>> action, CancellationToken ct)
    {
        string? lastRefused = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (TokenRefusedException e) when (e.Token != lastRefused)
            {
                // The token ran out (or the clock here is off): renew once and repeat the request.
                lastRefused = e.Token;
                await signIn.RenewAsync(e.Token, ct);
                log.WriteLine("  登录已续期 / sign-in renewed");
            }
            catch (Exception e) when (e is HttpRequestException or TransientException or IOException
                                      || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                if (attempt >= Backoff.Length) throw new UploadFailedException($"giving up after {attempt + 1} attempts: {e.Message}");
                log.WriteLine($"  retrying in {Backoff[attempt].TotalSeconds:F0} s ({e.Message})");
                await Task.Delay(Backoff[attempt], ct);
            }
        }
    }

    async Task<HttpRequestMessage> TusAsync(HttpMethod method, Uri uri, CancellationToken ct)
    {
        var request = await AuthorizedAsync(method, uri, ct);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    async Task<HttpRequestMessage> AuthorizedAsync(HttpMethod method, Uri uri, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await signIn.AccessTokenAsync(ct));
        return request;
    }

    static Exception Classify(HttpResponseMessage response, string text) =>
        (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
            ? new TransientException($"server answered {(int)response.StatusCode}: {text}")
            : response.StatusCode == HttpStatusCode.Unauthorized
                ? new TokenRefusedException(response.RequestMessage?.Headers.Authorization?.Parameter ?? "", $"server answered 401: {text}")
                : new UploadFailedException($"{(int)response.StatusCode}: {text}");

    internal static async Task<string> ProblemText(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(body);
            var r = doc.RootElement;
            string? Get(string n) => r.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return string.Join(" — ", new[] { Get("title"), Get("detail"), Get("detailEn") }.Where(s => s is not null));
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    sealed class TransientException(string message) : Exception(message);

    sealed class TokenRefusedException(string token, string message) : UploadFailedException(message)
    {
        public string Token { get; } = token;
    }
}

public class UploadFailedException(string message) : Exception(message);

/// <summary>Upload URLs of unfinished uploads, so a rerun after a crash resumes instead of restarting.</summary>
static class ResumeState
{
    static string PathOf()
    {
        var dir = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(dir, "avledger", "uploads.json");
    }

    public static Dictionary<string, string> Load()
    {
        try { return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(PathOf())) ?? []; }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return []; }
    }

    public static void Save(Dictionary<string, string> state)
    {
        var path = PathOf();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(state));
        File.Move(tmp, path, overwrite: true);
    }
}
