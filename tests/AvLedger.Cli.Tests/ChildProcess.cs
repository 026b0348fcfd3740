using System.Diagnostics;

namespace AvLedger.Cli.Tests;

static class ChildProcess
{
    /// <summary>Runs <paramref name="start"/> to its end; its exit code and everything it printed (stdout, then stderr).</summary>
    public static async Task<(int Exit, string Output)> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
