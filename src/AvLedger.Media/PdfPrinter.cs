using System.Diagnostics;

namespace AvLedger.Media;

/// <summary>HTML to PDF with headless chromium.</summary>
public static class PdfPrinter
{
    /// <summary>Where chromium (headless, for the PDF) is: AVLEDGER_CHROMIUM, else the usual places.</summary>
    public static string? Chromium() =>
        new[] { Environment.GetEnvironmentVariable("AVLEDGER_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>Prints the HTML report to PDF with headless chromium (Skia's PDF backend): the CJK glyphs
    /// used are embedded (as Type 3 outlines with a ToUnicode map, so the text stays searchable).</summary>
    public static async Task<string> PrintAsync(string html, string work, CancellationToken ct)
    {
        var chromium = Chromium() ?? throw new InvalidOperationException("chromium is not installed: the PDF report needs it (set AVLEDGER_CHROMIUM)");
        var input = Path.Combine(work, "report.html");
        var output = Path.Combine(work, "report.pdf");
        await File.WriteAllTextAsync(input, html, ct);
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-extensions", "--no-first-run",
                     $"--user-data-dir={Path.Combine(work, "chromium")}", $"--print-to-pdf={output}", new Uri(input).AbsoluteUri })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not print the report within two minutes");
        }
        if (!File.Exists(output) || new FileInfo(output).Length == 0)
            throw new InvalidOperationException($"chromium printed no PDF (exit {process.ExitCode}): {(await stderr)[..Math.Min(500, (await stderr).Length)]}");
        return output;
    }
}
