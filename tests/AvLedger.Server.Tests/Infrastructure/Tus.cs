using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AvLedger.Media;

namespace AvLedger.Server.Tests.Infrastructure;

/// <summary>Raw tus requests, so tests can send exactly the bad input they mean to.</summary>
public static class Tus
{
    /// <summary>A request to an upload's URL with the tus version header.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string location)
    {
        var request = new HttpRequestMessage(method, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(',', pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));

    public static async Task<HttpResponseMessage> CreateAsync(HttpClient client, string length, string? metadata)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", length);
        if (metadata is not null) request.Headers.Add("Upload-Metadata", metadata);
        return await client.SendAsync(request);
    }

    public sealed record DeviceChoice(string Code, string Kind);

    /// <summary>The first device the caller may name in an upload (its unit's; any, for a station).</summary>
    public static async Task<string> DefaultDeviceAsync(HttpClient client)
    {
        var devices = await client.GetFromJsonAsync<List<DeviceChoice>>("/api/v1/uploads/devices", JsonSerializerOptions.Web);
        return devices is { Count: > 0 } ? devices[0].Code : throw new InvalidOperationException("the uploader has no registered device to name");
    }

    /// <summary>Every upload names a registered device: the caller's unit's first one unless the test names its own.</summary>
    public static async Task<(string, string)[]> WithDeviceAsync(HttpClient client, (string Key, string Value)[] extra) =>
        extra.Any(p => p.Key == "deviceCode") ? extra : [("deviceCode", await DefaultDeviceAsync(client)), .. extra];

    public static async Task<string> CreateOkAsync(HttpClient client, byte[] file, string fileName = "DSJ_20261120093000.mp4", params (string, string)[] extra)
    {
        using var response = await CreateAsync(client, file.Length.ToString(CultureInfo.InvariantCulture),
            Metadata([("filename", fileName), ("sha256", Sha256(file)), .. await WithDeviceAsync(client, extra)]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    public static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string location, long offset, ReadOnlyMemory<byte> bytes, string? checksum = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        if (checksum is not null) request.Headers.Add("Upload-Checksum", checksum);
        request.Content = new ReadOnlyMemoryContent(bytes);
        request.Content.Headers.ContentType = new("application/offset+octet-stream");
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> HeadAsync(HttpClient client, string location)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return await client.SendAsync(request);
    }

    public sealed record Status(string Id, string State, long Offset, long Length, string? RecordId, bool Duplicate, string? Error);

    public static async Task<Status> StatusAsync(HttpClient client, string location) =>
        (await client.GetFromJsonAsync<Status>(location, JsonSerializerOptions.Web))!;

    /// <summary>Waits for the background ingest to finish with the upload.</summary>
    public static async Task<Status> SettledAsync(HttpClient client, string location)
    {
        for (var i = 0; i < 600; i++)
        {
            var status = await StatusAsync(client, location);
            if (status.State is "stored" or "rejected") return status;
            await Task.Delay(100);
        }
        throw new TimeoutException($"upload {location} did not settle in 60 s");
    }

    /// <summary>Uploads a whole file in chunks and returns its settled status.</summary>
    public static async Task<Status> UploadAsync(HttpClient client, byte[] file, int chunk = 256 * 1024, string fileName = "DSJ_20261120093000.mp4", params (string, string)[] extra)
    {
        var location = await CreateOkAsync(client, file, fileName, extra);
        for (var offset = 0; offset < file.Length; offset += chunk)
        {
            using var r = await PatchAsync(client, location, offset, file.AsMemory(offset, Math.Min(chunk, file.Length - offset)));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }
        return await SettledAsync(client, location);
    }

    static readonly SemaphoreSlim SampleGate = new(1, 1);
    static readonly Dictionary<(int Seconds, bool Hevc), SampleClips.Clip> Encoded = [];
    static readonly string SampleDir = Directory.CreateTempSubdirectory("avledger-samples-").FullName;
    static int sampleCount;

    /// <summary>A fresh, unique sample recording (distinct bytes each call). Each length and codec is
    /// encoded by ffmpeg once per run; every call remuxes it with its own creation time.</summary>
    public static async Task<byte[]> NewSampleAsync(int seconds = 2, DateTimeOffset? start = null, bool hevc = false)
    {
        await SampleGate.WaitAsync();
        try
        {
            var n = ++sampleCount;
            var when = start ?? DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(-n);
            if (!Encoded.TryGetValue((seconds, hevc), out var encoded))
                Encoded[(seconds, hevc)] = encoded = await SampleClips.WriteAsync(Path.Combine(SampleDir, $"{seconds}-{hevc}"), "DSJ-0000", "500000", when, seconds, default, hevc);
            var dir = Directory.CreateTempSubdirectory("avledger-sample-").FullName;
            var clip = await SampleClips.RestampAsync(encoded, dir, $"DSJ-{n:D4}", $"5{n:D5}", when, default);
            var bytes = await File.ReadAllBytesAsync(clip.Path);
            Directory.Delete(dir, recursive: true);
            return bytes;
        }
        finally
        {
            SampleGate.Release();
        }
    }
}
