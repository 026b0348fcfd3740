using System.IO.Compression;
using AvLedger.Ledger;
using AvLedger.Verify;

namespace AvLedger.Server.Tests.Verify;

/// <summary>A package verifies offline from its own files; any changed byte, a missing original
/// or a signer other than the trusted one fails and the verdict names what failed.</summary>
public sealed class PackageVerifierTests : IDisposable
{
    readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("avledger-verify-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Without_a_trusted_key_a_whole_package_is_not_passed_but_signer_not_checked()
    {
        var package = TestPackages.Mini(dir.FullName);
        var report = await PackageVerifier.VerifyAsync(package.Zip);

        Assert.Equal(PackageVerdict.SignerNotChecked, report.Verdict);
        Assert.False(report.Passed);
        Assert.Empty(report.Failures);
        Assert.False(report.SignerChecked);
        var text = report.ToText();
        Assert.Contains(report.Verdicts, v => v.Subject == "signer" && v.Outcome == Outcome.NotChecked);
        Assert.Contains("结论：签名者未核对 / VERDICT: SIGNER NOT CHECKED", text, StringComparison.Ordinal);
        Assert.DoesNotContain("VERDICT: PASSED", text, StringComparison.Ordinal);
        Assert.Contains("--trusted-key", text, StringComparison.Ordinal);
        Assert.Contains(new NoteVerifier(package.VerifierKey).KeyHash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        foreach (var o in package.Originals)
            Assert.Contains(report.Verdicts, v => v.Subject == $"originals/{o.RecordId}{o.Extension}" && v.Outcome == Outcome.Passed);
        Assert.Contains(report.Verdicts, v => v.Subject.StartsWith("copies/", StringComparison.Ordinal) && v.Outcome == Outcome.Notice && v.English.Contains("not a record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_file_of_a_package_gets_its_own_verdict()
    {
        var package = TestPackages.Mini(dir.FullName);
        var report = await PackageVerifier.VerifyAsync(package.Zip, package.VerifierKey);

        Assert.True(report.Passed, report.ToText());
        foreach (var path in TestPackages.ReadZip(package.Zip).Keys)
            Assert.Contains(report.Verdicts, v => v.Subject == path && v.Outcome is Outcome.Passed or Outcome.Notice);
        foreach (var sealedFile in new[] { "README.txt", "report/report.html", "report/report.pdf", "receipt/receipt.html", "verify/verify.html" })
            Assert.Contains(report.Verdicts, v => v.Subject == sealedFile && v.Outcome == Outcome.Passed && v.English.Contains("sealed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_package_forged_with_its_own_key_under_the_same_name_is_never_passed()
    {
        var genuine = TestPackages.Mini(dir.FullName);
        var forgedDir = Directory.CreateDirectory(Path.Combine(dir.FullName, "forged")).FullName;
        var forged = TestPackages.Mini(forgedDir);
        Assert.Equal(new NoteVerifier(genuine.VerifierKey).Name, new NoteVerifier(forged.VerifierKey).Name);

        var unchecked_ = await PackageVerifier.VerifyAsync(forged.Zip);
        Assert.Equal(PackageVerdict.SignerNotChecked, unchecked_.Verdict);
        Assert.False(unchecked_.Passed);

        var pinned = await PackageVerifier.VerifyAsync(forged.Zip, genuine.VerifierKey);
        Assert.Equal(PackageVerdict.Failed, pinned.Verdict);
        Assert.Equal(["signer"], pinned.Failures.Select(f => f.Subject));
    }

    [Fact]
    public async Task An_unknown_format_version_is_refused_naming_the_versions_known()
    {
        var package = TestPackages.Mini(dir.FullName, change: m => { m["format"] = "avledger-evidence-package/3"; m["formatVersion"] = 3; });
        var report = await PackageVerifier.VerifyAsync(package.Zip, package.VerifierKey);

        var failure = Assert.Single(report.Failures, f => f.Subject == "manifest.json");
        Assert.Contains("unknown package format version 3", failure.English, StringComparison.Ordinal);
        Assert.Contains("1, 2", failure.English, StringComparison.Ordinal);
        Assert.Contains("未知的证据包格式版本 3", failure.Chinese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_format_1_package_still_verifies_and_says_its_other_files_were_not_sealed()
    {
        var package = TestPackages.Mini(dir.FullName, version: 1);
        var report = await PackageVerifier.VerifyAsync(package.Zip, package.VerifierKey);

        Assert.True(report.Passed, report.ToText());
        Assert.Contains(report.Verdicts, v => v.Subject == "report/report.html" && v.Outcome == Outcome.Notice && v.English.Contains("not sealed", StringComparison.Ordinal));
        // The exact entry list holds for format 1 too.
        var (name, change, blamed) = TestPackages.Tamperings(package).Single(t => t.Name == "dot-slash-original");
        var tampered = await PackageVerifier.VerifyAsync(TestPackages.Tampered(package.Zip, dir.FullName, name, change), package.VerifierKey);
        Assert.Equal([blamed], tampered.Failures.Select(f => f.Subject));
    }

    [Fact]
    public async Task With_the_trusted_key_the_signer_is_checked()
    {
        var package = TestPackages.Mini(dir.FullName);
        var report = await PackageVerifier.VerifyAsync(package.Zip, package.VerifierKey);

        Assert.True(report.Passed, report.ToText());
        Assert.True(report.SignerChecked);
        Assert.DoesNotContain("NOT checked", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_key_as_the_trusted_one_fails_naming_the_signer()
    {
        var package = TestPackages.Mini(dir.FullName);
        var report = await PackageVerifier.VerifyAsync(package.Zip, NoteSigner.Generate("avledger-test").VerifierKey);

        Assert.False(report.Passed);
        Assert.Equal(["signer"], report.Failures.Select(f => f.Subject));
    }

    [Fact]
    public async Task Each_kind_of_tampering_fails_and_names_what_failed()
    {
        var package = TestPackages.Mini(dir.FullName);
        foreach (var (name, change, blamed) in TestPackages.Tamperings(package))
        {
            var report = await PackageVerifier.VerifyAsync(TestPackages.Tampered(package.Zip, dir.FullName, name, change), package.VerifierKey);
            Assert.False(report.Passed, name);
            Assert.True(report.Failures.Any(f => f.Subject == blamed), $"{name}: {report.ToText()}");
            Assert.Contains($"VERDICT: FAILED — ", report.ToText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_byte_changed_inside_the_zip_itself_fails_naming_the_original()
    {
        var package = TestPackages.Mini(dir.FullName);
        var original = package.Originals[0];
        var bytes = await File.ReadAllBytesAsync(package.Zip);
        // The original is stored, so its bytes sit in the ZIP as they are: find them and change one.
        var at = bytes.AsSpan().IndexOf(original.Content.AsSpan(0, 64));
        Assert.True(at > 0);
        bytes[at + 1000] ^= 0x01;
        var tampered = Path.Combine(dir.FullName, "raw.zip");
        await File.WriteAllBytesAsync(tampered, bytes);

        var report = await PackageVerifier.VerifyAsync(tampered, package.VerifierKey);
        Assert.False(report.Passed);
        Assert.Contains(report.Failures, f => f.Subject == $"originals/{original.RecordId}{original.Extension}");
    }

    [Fact]
    public async Task A_file_slipped_into_originals_is_not_evidence()
    {
        var package = TestPackages.Mini(dir.FullName);
        var report = await PackageVerifier.VerifyAsync(TestPackages.Tampered(package.Zip, dir.FullName, "extra", f => f["originals/extra.mp4"] = [1, 2, 3]), package.VerifierKey);

        Assert.Equal(["originals/extra.mp4"], report.Failures.Select(f => f.Subject));
    }

    [Fact]
    public async Task The_unzipped_folder_verifies_as_the_zip_does()
    {
        var package = TestPackages.Mini(dir.FullName);
        var folder = Path.Combine(dir.FullName, "unzipped");
        ZipFile.ExtractToDirectory(package.Zip, folder);
        Assert.True((await PackageVerifier.VerifyAsync(folder, package.VerifierKey)).Passed);

        File.WriteAllText(Path.Combine(folder, "manifest.json"), File.ReadAllText(Path.Combine(folder, "manifest.json")).Replace("移送法院", "移送法庭", StringComparison.Ordinal));
        var report = await PackageVerifier.VerifyAsync(folder, package.VerifierKey);
        Assert.Equal(["manifest.json"], report.Failures.Select(f => f.Subject));

        // A file added beside the others is as foreign as in the ZIP.
        ZipFile.ExtractToDirectory(package.Zip, folder, overwriteFiles: true);
        File.WriteAllText(Path.Combine(folder, "report", "report-2.html"), "<p>另一份清单</p>");
        report = await PackageVerifier.VerifyAsync(folder, package.VerifierKey);
        Assert.Equal(["report/report-2.html"], report.Failures.Select(f => f.Subject));
    }

    [Fact]
    public async Task Each_attack_on_the_zip_structure_fails_and_names_the_entry_or_the_archive()
    {
        var package = TestPackages.Mini(dir.FullName);
        // Written again byte by byte and unchanged, the package still verifies: the attacks below are all that differs.
        var rewritten = TestPackages.Crafted(package.Zip, dir.FullName, "rewritten", _ => { });
        var plain = await PackageVerifier.VerifyAsync(rewritten, package.VerifierKey);
        Assert.True(plain.Passed, plain.ToText());

        foreach (var (name, craft, blamed, says) in TestPackages.ZipAttacks(package))
        {
            var report = await PackageVerifier.VerifyAsync(TestPackages.Crafted(package.Zip, dir.FullName, name, craft), package.VerifierKey);
            Assert.Equal(PackageVerdict.Failed, report.Verdict);
            Assert.True(report.Failures.Any(f => f.Subject == blamed && f.English.Contains(says, StringComparison.Ordinal) && f.Chinese.Length > 0), $"{name}: {report.ToText()}");
        }
    }

    [Fact]
    public async Task A_local_header_renamed_to_hide_a_substitute_fails_though_bsdtar_extracts_the_substitute_as_the_original()
    {
        var package = TestPackages.Mini(dir.FullName);
        var (name, craft, original, _) = TestPackages.ZipAttacks(package).Single(a => a.Name == "renamed-local-header");
        var zip = TestPackages.Crafted(package.Zip, dir.FullName, name, craft);

        // bsdtar (libarchive-tools) reading the package from a pipe, as a streaming extractor does, walks the local headers.
        var target = Directory.CreateDirectory(Path.Combine(dir.FullName, "extracted")).FullName;
        var bsdtar = new System.Diagnostics.ProcessStartInfo("bsdtar") { RedirectStandardInput = true, RedirectStandardError = true, ArgumentList = { "-xf", "-", "-C", target } };
        using (var process = System.Diagnostics.Process.Start(bsdtar)!)
        {
            await using (var input = File.OpenRead(zip)) await input.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, errors);
        }
        Assert.Equal(TestPackages.Substitute, await File.ReadAllBytesAsync(Path.Combine(target, original)));
        Assert.Equal(package.Originals[0].Content, await File.ReadAllBytesAsync(Path.Combine(target, original + ".bak")));

        var report = await PackageVerifier.VerifyAsync(zip, package.VerifierKey);
        Assert.Equal(PackageVerdict.Failed, report.Verdict);
        Assert.Contains(report.Failures, f => f.Subject == original && f.English.Contains("local header names it", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Subject == original && f.English.Contains("hides a local entry", StringComparison.Ordinal));
    }

    /// <summary>Slow (writes and hashes 4 GiB twice): trait Category=Long.</summary>
    [Fact]
    [Trait("Category", "Long")]
    public async Task An_original_beyond_4_GiB_in_a_zip64_package_is_streamed_and_verified()
    {
        var size = (4L << 30) + 4097;
        var package = TestPackages.Mini(dir.FullName, 1000, size);
        // No .NET array holds 4 GiB: passing at all shows the original was streamed.
        var report = await PackageVerifier.VerifyAsync(package.Zip, package.VerifierKey);
        Assert.True(report.Passed, report.ToText());
        var original = $"originals/{package.Originals[0].RecordId}{package.Originals[0].Extension}";
        Assert.Contains(report.Verdicts, v => v.Subject == original && v.Outcome == Outcome.Passed && v.English.Contains($"{size} bytes", StringComparison.Ordinal));

        // One byte beyond the first 4 GiB of the original, changed in place in the ZIP.
        await using (var zip = new FileStream(package.Zip, FileMode.Open, FileAccess.ReadWrite))
        {
            zip.Position = (4L << 30) + 100;
            var b = zip.ReadByte();
            zip.Position--;
            zip.WriteByte((byte)(b ^ 1));
        }
        var tampered = await PackageVerifier.VerifyAsync(package.Zip, package.VerifierKey);
        Assert.Contains(tampered.Failures, f => f.Subject == original);
    }

    [Fact]
    public async Task Not_a_zip_fails_plainly()
    {
        var path = Path.Combine(dir.FullName, "junk.zip");
        await File.WriteAllTextAsync(path, "not a zip");
        var report = await PackageVerifier.VerifyAsync(path);
        Assert.False(report.Passed);
        Assert.Single(report.Failures);
    }
}
