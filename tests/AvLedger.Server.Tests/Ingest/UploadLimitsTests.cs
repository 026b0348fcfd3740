using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AvLedger.Server.Tests.Ingest;

/// <summary>Small limits, so the bounds on what one uploader can make the server hold are seen to bite.</summary>
public sealed class UploadLimitsFactory : AvLedgerFactory
{
    public const long UnfinishedBytes = 10 * 1024 * 1024;
    public const int PerMinute = 4;

    protected override string Provider => "sqlite";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AvLedger:Uploads:UnfinishedBytesPerPerson", UnfinishedBytes.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("AvLedger:Uploads:CreationsPerMinutePerPerson", PerMinute.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>Per-person caps on unfinished uploads and on uploads started per minute; declared but empty
/// uploads expire within the hour.</summary>
public sealed class UploadLimitsTests(UploadLimitsFactory factory) : IClassFixture<UploadLimitsFactory>
{
    const long MiB = 1024 * 1024;

    async Task<(HttpClient Client, AvLedgerFactory.Person Person)> OfficerAsync()
    {
        var person = await factory.PersonAsync();
        return (factory.ClientWith(await factory.TokenAsync(person.Username, person.Password)), person);
    }

    static Task<HttpResponseMessage> DeclareAsync(HttpClient client, AvLedgerFactory.Person person, long length) =>
        Tus.CreateAsync(client, length.ToString(CultureInfo.InvariantCulture),
            Tus.Metadata(("filename", "DSJ_20261120093000.mp4"), ("sha256", new string('a', 64)), ("deviceCode", person.DeviceCode)));

    static async Task<string> CodeOf(HttpResponseMessage r) =>
        JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;

    [Fact]
    public async Task Bytes_declared_by_unfinished_uploads_are_capped_per_person_until_one_is_ended()
    {
        var (officer, person) = await OfficerAsync();
        using var first = await DeclareAsync(officer, person, 4 * MiB);
        using var second = await DeclareAsync(officer, person, 4 * MiB);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        using var third = await DeclareAsync(officer, person, 4 * MiB);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Equal("unfinished-uploads-quota", await CodeOf(third));
        Assert.NotNull(third.Headers.RetryAfter);

        // Another person's budget is their own.
        var (other, otherPerson) = await OfficerAsync();
        using var theirs = await DeclareAsync(other, otherPerson, 4 * MiB);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);

        using (var end = Tus.Request(HttpMethod.Delete, first.Headers.Location!.ToString()))
            Assert.Equal(HttpStatusCode.NoContent, (await officer.SendAsync(end)).StatusCode);
        using var again = await DeclareAsync(officer, person, 4 * MiB);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task Parallel_declarations_cannot_pass_the_cap_together()
    {
        var (officer, person) = await OfficerAsync();
        var all = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DeclareAsync(officer, person, 3 * MiB)));
        Assert.Equal(3, all.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var r in all) r.Dispose();
    }

    [Fact]
    public async Task Uploads_started_per_minute_are_capped()
    {
        var (officer, person) = await OfficerAsync();
        for (var i = 0; i < UploadLimitsFactory.PerMinute; i++)
        {
            using var ok = await DeclareAsync(officer, person, 1024);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        using var refused = await DeclareAsync(officer, person, 1024);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("too-many-uploads", await CodeOf(refused));
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_upload_that_never_receives_a_byte_expires_within_an_hour_but_one_in_progress_is_kept()
    {
        var (officer, person) = await OfficerAsync();
        var file = await Tus.NewSampleAsync(1);
        using var empty = await DeclareAsync(officer, person, 4096);
        var expires = DateTimeOffset.Parse(empty.Headers.GetValues("Upload-Expires").Single(), CultureInfo.InvariantCulture);
        Assert.True(expires <= factory.Clock.GetUtcNow().AddHours(1).AddSeconds(1), $"an empty upload is held until {expires:O}");

        var started = await Tus.CreateOkAsync(officer, file, extra: [("deviceCode", person.DeviceCode)]);
        (await Tus.PatchAsync(officer, started, 0, file.AsMemory(0, 1000))).EnsureSuccessStatusCode();

        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Gone, (await Tus.HeadAsync(officer, empty.Headers.Location!.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Tus.HeadAsync(officer, started)).StatusCode);
    }
}

/// <summary>The data dir on a small tmpfs of its own, so the disk really fills.</summary>
public sealed class SmallDiskFactory : AvLedgerFactory
{
    public string SmallDir { get; }

    public SmallDiskFactory()
    {
        SmallDir = Directory.CreateDirectory(Path.Combine(DataDir, "small")).FullName;
        Mount("mount", "-t", "tmpfs", "-o", "size=32m,mode=0700", "tmpfs", SmallDir);
    }

    protected override string Provider => "sqlite";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AvLedger:DataDir", SmallDir);
    }

    public override async Task DisposeAsync()
    {
        // Lazily: the server may still hold files open while it stops.
        Mount("umount", "-l", SmallDir);
        await base.DisposeAsync();
    }

    /// <summary>Needs root or password-less sudo, as ./test.sh has; fails loudly otherwise.</summary>
    static void Mount(string program, params string[] args)
    {
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? program : "sudo") { RedirectStandardError = true };
        if (!root) { start.ArgumentList.Add("-n"); start.ArgumentList.Add(program); }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"'{program} {string.Join(' ', args)}' failed ({error.Trim()}): the disk-full test needs root or password-less sudo to mount a small tmpfs.");
    }
}

public sealed class DiskFullTests(SmallDiskFactory factory) : IClassFixture<SmallDiskFactory>
{
    [Fact]
    public async Task A_full_disk_answers_507_with_retry_after_and_nothing_is_half_stored()
    {
        var person = await factory.PersonAsync();
        using var officer = factory.ClientWith(await factory.TokenAsync(person.Username, person.Password));
        var sample = await Tus.NewSampleAsync(1);
        // A recording larger than the free space: a real header, then padding.
        var big = new byte[48 * 1024 * 1024];
        sample.CopyTo(big, 0);
        var location = await Tus.CreateOkAsync(officer, big, extra: [("deviceCode", person.DeviceCode)]);

        using var full = await Tus.PatchAsync(officer, location, 0, big);
        Assert.Equal((HttpStatusCode)507, full.StatusCode);
        Assert.Equal("disk-full", JsonDocument.Parse(await full.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.NotNull(full.Headers.RetryAfter);

        using var head = await Tus.HeadAsync(officer, location);
        Assert.Equal("0", head.Headers.GetValues("Upload-Offset").Single());
        var part = Path.Combine(factory.SmallDir, "uploads", location.Split('/')[^1] + ".part");
        Assert.Equal(0, new FileInfo(part).Length);
        var records = await officer.GetFromJsonAsync<JsonElement>("/api/v1/records");
        Assert.Equal(0, records.GetProperty("total").GetInt32());

        // The space was given back: an ordinary recording is stored whole.
        using (var end = Tus.Request(HttpMethod.Delete, location)) await officer.SendAsync(end);
        var stored = await Tus.UploadAsync(officer, sample, extra: [("deviceCode", person.DeviceCode)]);
        Assert.Equal("stored", stored.State);
    }
}
