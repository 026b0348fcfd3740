namespace AvLedger.Verify;

/// <summary>How one check came out. <see cref="Notice"/> is not a failure but must be read: the
/// signer was not compared with a trusted key, or a file is a derivative and not a record.</summary>
public enum Outcome
{
    Passed,
    Failed,
    Notice,
    NotChecked,
}

public enum PackageVerdict { Passed, SignerNotChecked, Failed }

/// <summary>One verdict on one part of the package: <paramref name="Subject"/> is a package path
/// ("originals/….mp4", "ledger/checkpoint.txt", "manifest.json") or "signer".</summary>
public sealed record Verdict(string Subject, Outcome Outcome, string Chinese, string English)
{
    public string Label => Outcome switch
    {
        Outcome.Passed => "通过 PASS",
        Outcome.Failed => "未通过 FAIL",
        _ => "注意 NOTE",
    };

    public override string ToString() => $"[{Label}] {Subject}: {Chinese} / {English}";
}

/// <summary>Everything a verifier found, in the order it checked. The package holds only when no
/// verdict failed.</summary>
public sealed record Report(string Package, IReadOnlyList<Verdict> Verdicts, KeyFingerprint? Key, bool SignerChecked)
{
    public bool Passed => Verdicts.Count > 0 && Verdicts.All(v => v.Outcome != Outcome.Failed);

    public PackageVerdict Verdict => Passed ? PackageVerdict.Passed : PackageVerdict.Failed;

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
        if (!SignerChecked)
            lines.Add("签名者未核对：请将上述公钥指纹与发证机关公布的指纹比对，或使用 --trusted-key 重新核验 / "
                + "The signer was NOT checked: compare the fingerprint above with the one the agency publishes, or run again with --trusted-key.");
        lines.Add(Passed
            ? "结论：通过 / VERDICT: PASSED"
            : $"结论：未通过 / VERDICT: FAILED — {string.Join(", ", Failures.Select(f => f.Subject).Distinct())}");
        return string.Join('\n', lines) + "\n";
    }
}

/// <summary>What identifies the signing key to a person: the signed-note key hash (8 hex digits) and
/// the SHA-256 of the raw Ed25519 public key (64 hex digits).</summary>
public sealed record KeyFingerprint(string VerifierKey, string KeyHash, string PublicKeySha256);
