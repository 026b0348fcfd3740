using System.Diagnostics;
using AvLedger.Ledger;
using AvLedger.Server.Tests.Verify;

namespace AvLedger.Cli.Tests;

/// <summary>`avledger verify PACKAGE.zip` as a clerk runs it — its own process, started in an
/// empty directory far from the repository, with no server and no data dir.</summary>
public sealed class VerifyPackageTests : IDisposable
{
    readonly DirectoryInfo work = Directory.CreateTempSubdirectory("avledger-verify-cli-");

    public void Dispose() => work.Delete(recursive: true);

    /// <summary>Runs the built avledger in <see cref="work"/>; returns exit code and everything printed.</summary>
    Task<(int Exit, string Output)> AvLedgerAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.FullName };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "avledger.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // Nothing of the build's state: no configuration, no data dir, no server address.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AVLEDGER", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        return ChildProcess.RunAsync(start);
    }

    [Fact]
    public async Task A_whole_package_passes_offline_from_another_directory()
    {
        var package = TestPackages.Mini(work.FullName);

        // Without the agency's key the contents hold but the signer is unknown: its own exit code, never 0.
        var (exit, output) = await AvLedgerAsync("verify", "evidence-package.zip");
        Assert.True(exit == 3, output);
        Assert.Contains("结论：签名者未核对 / VERDICT: SIGNER NOT CHECKED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("VERDICT: PASSED", output, StringComparison.Ordinal);
        Assert.Contains("The signer was NOT checked", output, StringComparison.Ordinal);
        Assert.Contains(new NoteVerifier(package.VerifierKey).KeyHash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
        foreach (var o in package.Originals)
            Assert.Contains($"[通过 PASS] originals/{o.RecordId}{o.Extension}", output, StringComparison.Ordinal);
        Assert.Empty(work.GetDirectories());

        // The key the agency publishes, given as text or as a file.
        var key = Path.Combine(work.FullName, "agency-key.txt");
        await File.WriteAllTextAsync(key, package.VerifierKey + "\n");
        (exit, output) = await AvLedgerAsync("verify", package.Zip, "--trusted-key", key);
        Assert.True(exit == 0, output);
        Assert.Contains("结论：通过 / VERDICT: PASSED", output, StringComparison.Ordinal);
        Assert.Contains("[通过 PASS] signer", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT checked", output, StringComparison.Ordinal);
        (exit, output) = await AvLedgerAsync("verify", package.Zip, "--trusted-key", package.VerifierKey);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Each_kind_of_tampering_exits_non_zero_naming_what_failed()
    {
        var package = TestPackages.Mini(work.FullName);
        string[] chosen = ["original-byte", "manifest-byte", "report-html-rewritten", "dot-slash-original", "parent-entry"];
        foreach (var (name, change, blamed) in TestPackages.Tamperings(package).Where(t => chosen.Contains(t.Name)))
        {
            var tampered = TestPackages.Tampered(package.Zip, work.FullName, name, change);
            var (exit, output) = await AvLedgerAsync("verify", tampered, "--trusted-key", package.VerifierKey);
            Assert.True(exit == 1, $"{name}: {output}");
            Assert.Contains($"[未通过 FAIL] {blamed}", output, StringComparison.Ordinal);
            Assert.Contains("结论：未通过 / VERDICT: FAILED", output, StringComparison.Ordinal);
        }

        var (wrongExit, wrong) = await AvLedgerAsync("verify", package.Zip, "--trusted-key", NoteSigner.Generate("avledger-test").VerifierKey);
        Assert.Equal(1, wrongExit);
        Assert.Contains("[未通过 FAIL] signer", wrong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_forged_with_its_own_key_under_the_same_name_never_exits_0()
    {
        var genuine = TestPackages.Mini(work.FullName);
        var forged = TestPackages.Mini(Directory.CreateDirectory(Path.Combine(work.FullName, "forged")).FullName);

        var (exit, output) = await AvLedgerAsync("verify", forged.Zip);
        Assert.True(exit == 3, output);
        Assert.Contains("签名者未核对", output, StringComparison.Ordinal);
        (exit, output) = await AvLedgerAsync("verify", forged.Zip, "--trusted-key", genuine.VerifierKey);
        Assert.True(exit == 1, output);
        Assert.Contains("[未通过 FAIL] signer", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_help_names_every_exit_code()
    {
        var (exit, output) = await AvLedgerAsync("verify", "--help");
        Assert.True(exit == 0, output);
        foreach (var code in new[] { "0", "1", "2", "3" })
            Assert.Matches($@"(?m)^\s*{code}\s", output);
        Assert.Contains("签名者未核对", output, StringComparison.Ordinal);
        Assert.Contains("--trusted-key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_package_is_a_usage_error()
    {
        var (exit, output) = await AvLedgerAsync("verify", "no-such.zip");
        Assert.Equal(2, exit);
        Assert.Contains("no such package", output, StringComparison.Ordinal);
    }
}
