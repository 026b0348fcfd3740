namespace AvLedger.Verify;

/// <summary>The command-line front of <see cref="PackageVerifier"/>, shared by <c>avledger verify</c> and
/// the single-file <c>avledger-verify</c>: prints the report, exit 0 only when everything holds, 1 when
/// something failed, 2 when the package or the trusted key cannot be found.</summary>
public static class VerifyPackageCommand
{
    public static async Task<int> RunAsync(string package, string? trustedKey, TextWriter output, CancellationToken ct)
    {
        if (!File.Exists(package) && !Directory.Exists(package))
        {
            await output.WriteLineAsync($"找不到证据包 / no such package: {package}");
            return 2;
        }
        // A key can be given as the text itself or as a file holding it (as ledger/key.txt is).
        if (trustedKey is not null && File.Exists(trustedKey)) trustedKey = await File.ReadAllTextAsync(trustedKey, ct);
        else if (trustedKey is not null && !trustedKey.Contains('+', StringComparison.Ordinal))
        {
            await output.WriteLineAsync($"--trusted-key 既不是公钥也不是文件 / --trusted-key is neither a key nor a file: {trustedKey}");
            return 2;
        }
        var report = await PackageVerifier.VerifyAsync(package, trustedKey?.Trim(), ct);
        await output.WriteAsync(report.ToText());
        return report.Passed ? 0 : 1;
    }
}
