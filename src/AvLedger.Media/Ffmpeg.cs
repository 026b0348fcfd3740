using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace AvLedger.Media;

/// <summary>Runs ffmpeg/ffprobe with argument lists (never a shell), reading only what they are
/// given (<see cref="Input"/>) and dying with this process (<see cref="ToolProcess"/>).</summary>
public static class Ffmpeg
{
    public static string FfmpegPath { get; set; } = "ffmpeg";
    public static string FfprobePath { get; set; } = "ffprobe";

    /// <summary>The only demuxers ffmpeg may open, even nested: the recorder formats' own. No
    /// playlists (hls), concat lists, image sequences (image2) or anything else that names other files.</summary>
    public static string FormatAllowList { get; } = string.Join(',', MediaFormat.All.Select(f => f.Demuxer).Distinct());

    /// <summary>Input options that read the local file at <paramref name="path"/> as
    /// <paramref name="format"/> and nothing else: the demuxer is forced (ffmpeg guesses nothing),
    /// only that demuxer list may open, and only the file protocol (no http, no pipes to others).</summary>
    public static string[] Input(string path, MediaFormat format) =>
        ["-protocol_whitelist", "file", "-format_whitelist", FormatAllowList, "-f", format.Demuxer, "-i", "file:" + Path.GetFullPath(path)];

    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, CancellationToken ct, TimeSpan? timeout = null)
    {
        using var process = await ToolProcess.StartAsync(program, arguments);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await stdout;
            return new Result(process.ExitCode, output.ToArray(), await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    internal static string Tail(string text, int max = 400)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= max ? trimmed : trimmed[^max..];
    }

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>Starts media tools so that they die with this process, however it ends (kill -9 too):
/// each runs as <c>setpriv --pdeathsig KILL -- setsid -- tool …</c> (util-linux, on every Debian),
/// which asks the kernel to kill the tool when its parent goes, in a session and process group of
/// its own (signals meant for the server's terminal group do not reach it half-way). Both exec
/// without forking, so the tool is this process's direct child with the process's id.</summary>
/// <remarks>Linux sends the parent-death signal when the <em>thread</em> that forked the child
/// ends, and .NET forks on the calling thread; thread-pool threads come and go, so every start
/// happens on one dedicated thread that lives as long as the process.</remarks>
public static class ToolProcess
{
    public const string Setpriv = "/usr/bin/setpriv";
    public const string Setsid = "/usr/bin/setsid";

    static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];
    static readonly Lazy<Thread> Launcher = new(() =>
    {
        var thread = new Thread(Launch) { IsBackground = true, Name = "media tool launcher" };
        thread.Start();
        return thread;
    });

    /// <summary>Starts <paramref name="program"/> with its standard streams redirected.</summary>
    public static Task<Process> StartAsync(string program, IEnumerable<string> arguments)
    {
        if (!File.Exists(Setpriv) || !File.Exists(Setsid))
            throw new InvalidOperationException($"{Setpriv} and {Setsid} are needed to run media tools (apt-get install util-linux).");
        var start = new ProcessStartInfo(Setpriv)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--pdeathsig", "KILL", "--", Setsid, "--", program, .. arguments]) start.ArgumentList.Add(a);
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Launcher.Value;
        Requests.Add((start, started));
        return started.Task;
    }

    static void Launch()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            var process = new Process { StartInfo = start };
            try
            {
                process.Start();
                started.SetResult(process);
            }
            catch (Exception e)
            {
                process.Dispose();
                started.SetException(e);
            }
        }
    }
}
