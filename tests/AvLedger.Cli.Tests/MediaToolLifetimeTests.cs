using System.Diagnostics;
using System.Globalization;

namespace AvLedger.Cli.Tests;

/// <summary>ffmpeg orphans once kept running after the server was killed, with
/// plaintext left in its working folder. Media tools now die with the process that started them,
/// and the server empties its working folder when it starts.</summary>
public sealed class MediaToolLifetimeTests : IDisposable
{
    readonly DirectoryInfo work = Directory.CreateTempSubdirectory("avledger-lifetime-");

    public void Dispose() => work.Delete(recursive: true);

    /// <summary>State, parent and process group of a live process, from /proc; null once it is gone.</summary>
    static (char State, int Parent, int Group)? Stat(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    static int? ChildNamed(int parent, string name)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string comm;
            try { comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim(); }
            catch (IOException) { continue; }
            if (comm == name && Stat(pid) is { Parent: var p } && p == parent) return pid;
        }
        return null;
    }

    [Fact]
    public async Task Ffmpeg_dies_when_the_process_that_started_it_is_killed_9()
    {
        // `avledger samples` runs ffmpeg for an hour-long clip through the same launcher the server uses.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "avledger.dll"), "samples", work.FullName, "--count", "1", "--seconds", "3600"])
            start.ArgumentList.Add(a);
        using var avledger = Process.Start(start)!;
        int? ffmpeg = null;
        try
        {
            for (var i = 0; i < 600 && ffmpeg is null && !avledger.HasExited; i++)
            {
                ffmpeg = ChildNamed(avledger.Id, "ffmpeg");
                if (ffmpeg is null) await Task.Delay(100);
            }
            Assert.NotNull(ffmpeg);
            // Its own process group, so signals to the server's terminal group do not reach it half-way.
            Assert.Equal(ffmpeg, Stat(ffmpeg.Value)?.Group);

            avledger.Kill(); // SIGKILL: no handler runs, nothing is cleaned up by the dying process
            await avledger.WaitForExitAsync();
            for (var i = 0; i < 100 && Stat(ffmpeg.Value) is { State: not 'Z' }; i++) await Task.Delay(100);
            // Gone, or a zombie waiting for init to reap it: either way it runs no more.
            Assert.True(Stat(ffmpeg.Value) is null or { State: 'Z' }, "ffmpeg kept running after its parent was killed");
        }
        finally
        {
            if (ffmpeg is { } pid && Stat(pid) is { State: not 'Z' })
            {
                try { Process.GetProcessById(pid).Kill(); }
                catch (ArgumentException) { }
            }
        }
    }

    [Fact]
    public async Task The_server_empties_its_working_folder_when_it_starts()
    {
        await using var server = new RealServer();
        await server.StartAsync();
        await server.StopAsync();
        // What a killed server left: a decrypted original in a job's folder (and one in the older flat layout).
        var tmp = Path.Combine(server.DataDir, "tmp");
        var job = Directory.CreateDirectory(Path.Combine(tmp, Environment.MachineName, "rendition-0123"));
        var left = Path.Combine(job.FullName, "original");
        var flat = Path.Combine(tmp, "01JREC.original");
        await File.WriteAllTextAsync(left, "plaintext");
        await File.WriteAllTextAsync(flat, "plaintext");

        await server.StartAsync();
        Assert.False(File.Exists(left));
        Assert.False(File.Exists(flat));
    }
}
