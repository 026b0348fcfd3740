using System.IO.Compression;
using AvLedger.Ledger;
using AvLedger.Verify;

namespace AvLedger.Server.Tests.Verify;

/// <summary>Issue 7: a package verifies offline from its own files; any changed byte, a missing original
/// or a signer other than the trusted one fails and the verdict names what failed.</summary>
public sealed class PackageVerifierTests : IDisposable
{
    readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("avledger-verify-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task A_whole_package_passes_and_says_the_signer_was_not_checked()
    {
        var package = TestPackages.Mini(dir.FullName);
        var report = await PackageVerifier.VerifyAsync(package.Zip);

        Assert.True(report.Passed, report.ToText());
        Assert.False(report.SignerChecked);
        var text = report.ToText();
        Assert.Contains("签名者未核对", text, StringComparison.Ordinal);
        Assert.Contains("NOT checked", text, StringComparison.Ordinal);
        Assert.Contains(new NoteVerifier(package.VerifierKey).KeyHash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains("结论：通过 / VERDICT: PASSED", text, StringComparison.Ordinal);
        foreach (var o in package.Originals)
            Assert.Contains(report.Verdicts, v => v.Subject == $"originals/{o.RecordId}{o.Extension}" && v.Outcome == Outcome.Passed);
        Assert.Contains(report.Verdicts, v => v.Subject.StartsWith("copies/", StringComparison.Ordinal) && v.Outcome == Outcome.Notice && v.English.Contains("not a record", StringComparison.Ordinal));
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
            var report = await PackageVerifier.VerifyAsync(TestPackages.Tampered(package.Zip, dir.FullName, name, change));
            Assert.False(report.Passed, name);
            Assert.Contains(report.Failures, f => f.Subject == blamed);
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

        var report = await PackageVerifier.VerifyAsync(tampered);
        Assert.False(report.Passed);
        Assert.Contains(report.Failures, f => f.Subject == $"originals/{original.RecordId}{original.Extension}");
    }

    [Fact]
    public async Task A_file_slipped_into_originals_is_not_evidence()
    {
        var package = TestPackages.Mini(dir.FullName);
        var report = await PackageVerifier.VerifyAsync(TestPackages.Tampered(package.Zip, dir.FullName, "extra", f => f["originals/extra.mp4"] = [1, 2, 3]));

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
        var report = await PackageVerifier.VerifyAsync(folder);
        Assert.Equal(["manifest.json"], report.Failures.Select(f => f.Subject));
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
