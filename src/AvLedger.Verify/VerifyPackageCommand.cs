namespace AvLedger.Verify;

/// <summary>The command-line front of <see cref="PackageVerifier"/>, shared by <c>avledger verify</c> and
/// the single-file <c>avledger-verify</c>: prints the report and exits with <see cref="ExitCodes"/>.</summary>
public static class VerifyPackageCommand
{
    public const int Passed = 0, Failed = 1, Usage = 2, SignerNotChecked = 3;

    /// <summary>The exit codes as both commands' help prints them.</summary>
    public const string ExitCodes = """
        退出码 / exit codes:
          0  通过：内容完好，签名者即 --trusted-key 给出的公钥 / passed: intact, signed by the --trusted-key key
          1  未通过：有文件或证明不符 / failed: a file or proof does not hold
          2  找不到证据包，或 --trusted-key 无效 / no such package, or --trusted-key unusable
          3  签名者未核对：内容与包内公钥一致，但未给出 --trusted-key / signer not checked: consistent with the key it carries, no --trusted-key given
        取得并固定发证机关公钥：向发证机关索取其公布的验证公钥（name+hash+base64）或公钥指纹，以 --trusted-key 公钥或公钥文件核验。
        Pin the agency's key: obtain its published verifier key (name+hash+base64) or fingerprint from the agency itself and verify with --trusted-key KEY-or-KEYFILE.
        """;

    public static async Task<int> RunAsync(string package, string? trustedKey, TextWriter output, CancellationToken ct)
    {
        if (!File.Exists(package) && !Directory.Exists(package))
        {
            await output.WriteLineAsync($"找不到证据包 / no such package: {package}");
            return Usage;
        }
        // A key can be given as the text itself or as a file holding it (as ledger/key.txt is).
        if (trustedKey is not null && File.Exists(trustedKey)) trustedKey = await File.ReadAllTextAsync(trustedKey, ct);
        else if (trustedKey is not null && !trustedKey.Contains('+', StringComparison.Ordinal))
        {
            await output.WriteLineAsync($"--trusted-key 既不是公钥也不是文件 / --trusted-key is neither a key nor a file: {trustedKey}");
            return Usage;
        }
        var report = await PackageVerifier.VerifyAsync(package, trustedKey?.Trim(), ct);
        await output.WriteAsync(report.ToText());
        return report.Verdict switch
        {
            PackageVerdict.Passed => Passed,
            PackageVerdict.SignerNotChecked => SignerNotChecked,
            _ => Failed,
        };
    }
}
