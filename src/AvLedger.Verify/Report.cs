namespace AvLedger.Verify;

/// <summary>How one check came out. <see cref="Notice"/> is not a failure but must be read (a file is a
/// derivative and not a record, or was not sealed by format 1); <see cref="NotChecked"/> is the signer when
/// no trusted key was given.</summary>
public enum Outcome
{
    Passed,
    Failed,
    Notice,
    NotChecked,
}

/// <summary>The conclusion: <see cref="SignerNotChecked"/> means the package is consistent with the key it
/// carries, which nothing tied to the agency — a forger's package is that too. Never a pass.</summary>
public enum PackageVerdict { Passed, SignerNotChecked, Failed }

/// <summary>One verdict on one part of the package: <paramref name="Subject"/> is a package path
/// ("originals/….mp4", "ledger/checkpoint.txt", "manifest.json") or "signer".</summary>
public sealed record Verdict(string Subject, Outcome Outcome, string Chinese, string English)
{
    public string Label => Outcome switch
    {
        Outcome.Passed => "通过 PASS",
        Outcome.Failed => "未通过 FAIL",
        Outcome.NotChecked => "未核对 NOT CHECKED",
        _ => "注意 NOTE",
    };

    public override string ToString() => $"[{Label}] {Subject}: {Chinese} / {English}";
}

/// <summary>Everything a verifier found, in the order it checked. The package passes only when no verdict
/// failed and the signer is the trusted key.</summary>
public sealed record Report(string Package, IReadOnlyList<Verdict> Verdicts, KeyFingerprint? Key, bool SignerChecked)
{
    public PackageVerdict Verdict =>
        Verdicts.Count == 0 || Failures.Any() ? PackageVerdict.Failed : SignerChecked ? PackageVerdict.Passed : PackageVerdict.SignerNotChecked;

    public bool Passed => Verdict == PackageVerdict.Passed;

    /// <summary>How to pin the agency's key, said wherever the signer was not checked.</summary>
    public const string PinKeyZh = "签名者未核对：请通过证据包以外的渠道（发证机关的公函、公告或电话）取得其公布的验证公钥或公钥指纹，与上述指纹比对，或用 --trusted-key 公钥或公钥文件重新核验";
    public const string PinKeyEn = "The signer was NOT checked: obtain the agency's published verifier key or its fingerprint through a channel other than this package (its letter, notice or a phone call), compare it with the fingerprint above, or verify again with --trusted-key KEY-or-KEYFILE";

    public IEnumerable<Verdict> Failures => Verdicts.Where(v => v.Outcome == Outcome.Failed);

    /// <summary>The report as the command prints it: a verdict a line, the signer's fingerprint, the conclusion.</summary>
    public string ToText()
    {
        var lines = new List<string> { $"证据包 / package: {Package}" };
        lines.AddRange(Verdicts.Select(v => v.ToString()));
        if (Key is not null)
        {
            lines.Add($"签名公钥 / signing key: {Key.VerifierKey}");
            lines.Add($"公钥指纹 / key fingerprint: key hash {Key.KeyHash}, SHA-256 {Key.PublicKeySha256}");
        }
        if (!SignerChecked) lines.Add($"{PinKeyZh} / {PinKeyEn}.");
        lines.Add(Verdict switch
        {
            PackageVerdict.Passed => "结论：通过 / VERDICT: PASSED",
            PackageVerdict.SignerNotChecked => "结论：签名者未核对 / VERDICT: SIGNER NOT CHECKED — 内容与包内公钥一致，但该公钥未与发证机关公布的公钥核对 / "
                + "the contents agree with the key the package carries, which was not compared with the agency's published key",
            _ => $"结论：未通过 / VERDICT: FAILED — {string.Join(", ", Failures.Select(f => f.Subject).Distinct())}",
        });
        return string.Join('\n', lines) + "\n";
    }
}

/// <summary>What identifies the signing key to a person: the signed-note key hash (8 hex digits) and
/// the SHA-256 of the raw Ed25519 public key (64 hex digits).</summary>
public sealed record KeyFingerprint(string VerifierKey, string KeyHash, string PublicKeySha256);
