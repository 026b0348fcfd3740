using System.Diagnostics;
using System.Text;

namespace AvLedger.Media;

/// <summary>Runs ffmpeg/ffprobe with argument lists (never a shell).</summary>
public static class Ffmpeg
{
    public static string FfmpegPath { get; set; } = "ffmpeg";
    public static string FfprobePath { get; set; } = "ffprobe";

    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, CancellationToken ct, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed or not on PATH (apt-get install ffmpeg).", e);
        }
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
