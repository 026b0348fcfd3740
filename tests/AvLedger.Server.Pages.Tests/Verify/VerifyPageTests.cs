using System.IO.Compression;
using AvLedger.Ledger;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Verify;

/// <summary>verify.html, as a court clerk uses it — opened from disk (file://, no server, no
/// network), the package chosen or its folder, the same verdicts as `avledger verify`.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VerifyPageTests(BrowserFactory factory) : IDisposable
{
    readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("avledger-verify-page-");

    public void Dispose() => dir.Delete(recursive: true);

    /// <summary>The page exactly as the server assembly embeds it for packages, written to disk.</summary>
    string PageOnDisk()
    {
        using var resource = typeof(AvLedger.Server.Shared.Problems).Assembly.GetManifestResourceStream("AvLedger.Server.Exports.verify.html")!;
        var path = Path.Combine(dir.FullName, "verify.html");
        using (var file = File.Create(path)) resource.CopyTo(file);
        return new Uri(path).AbsoluteUri;
    }

    async Task<IPage> OpenAsync(string? initScript = null)
    {
        var context = await factory.Browser.NewContextAsync();
        // Nothing leaves the page: every request but the file itself would fail the test.
        var requests = new List<string>();
        context.Request += (_, r) => { if (!r.Url.StartsWith("file:", StringComparison.Ordinal)) requests.Add(r.Url); };
        if (initScript is not null) await context.AddInitScriptAsync(initScript);
        var page = await context.NewPageAsync();
        await page.GotoAsync(PageOnDisk());
        page.Close += (_, _) => Assert.Empty(requests);
        return page;
    }

    static async Task<string> VerdictAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#verdict[data-outcome=passed], #verdict[data-outcome=failed], #verdict[data-outcome=unchecked]", new() { Timeout = 60_000 });
        var verdict = (await page.TextContentAsync("#verdict"))!;
        // Every verdict row, so a failing assertion shows what the page said.
        var rows = await page.EvalOnSelectorAllAsync<string[]>("#results tr", "rows => rows.map(r => r.innerText)");
        return verdict.Contains("PASSED", StringComparison.Ordinal) ? verdict : verdict + "\n" + string.Join("\n", rows);
    }

    static async Task<string> ChooseAsync(IPage page, string zip, string? trustedKey = null)
    {
        await page.FillAsync("#trusted", trustedKey ?? "");
        await page.EvalOnSelectorAsync("#verdict", "v => v.dataset.outcome = ''");
        await page.SetInputFilesAsync("#files", Array.Empty<string>());
        await page.SetInputFilesAsync("#files", zip);
        return await VerdictAsync(page);
    }

    /// <summary>A package path as a CSS attribute value.</summary>
    static string Css(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    [Fact]
    public async Task Without_a_trusted_key_a_whole_package_is_signer_not_checked_and_shows_the_fingerprint_to_compare()
    {
        var package = TestPackages.Mini(dir.FullName);
        var page = await OpenAsync();

        Assert.StartsWith("结论：签名者未核对 / VERDICT: SIGNER NOT CHECKED", await ChooseAsync(page, package.Zip), StringComparison.Ordinal);
        Assert.Equal("unchecked", await page.GetAttributeAsync("#verdict", "data-outcome"));
        Assert.Equal("unchecked", await page.GetAttributeAsync("tr[data-subject=signer]", "data-outcome"));
        Assert.Equal(0, await page.Locator("#results tr[data-outcome=failed]").CountAsync());
        foreach (var o in package.Originals)
            Assert.Equal("passed", await page.GetAttributeAsync($"tr[data-subject='originals/{o.RecordId}{o.Extension}']", "data-outcome"));
        Assert.Equal("notice", await page.GetAttributeAsync("tr[data-subject^='copies/']", "data-outcome"));
        var signer = (await page.TextContentAsync("#signer"))!;
        Assert.Contains("签名者未核对", signer, StringComparison.Ordinal);
        Assert.Contains("NOT checked", signer, StringComparison.Ordinal);
        var key = new NoteVerifier(package.VerifierKey);
        Assert.Contains(key.KeyHash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), signer, StringComparison.Ordinal);
        var pub = Convert.FromBase64String(package.VerifierKey.Split('+', 3)[2])[1..];
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pub)), signer, StringComparison.Ordinal);
        await BrowserFactory.ScreenshotAsync(page, "verify-package");

        Assert.Equal("结论：通过 / VERDICT: PASSED", await ChooseAsync(page, package.Zip, package.VerifierKey));
        Assert.Contains("签名者已核对", await page.TextContentAsync("#signer") ?? "", StringComparison.Ordinal);
        Assert.Equal("passed", await page.GetAttributeAsync("tr[data-subject=signer]", "data-outcome"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Each_kind_of_tampering_fails_and_names_what_failed()
    {
        var package = TestPackages.Mini(dir.FullName);
        var page = await OpenAsync();
        foreach (var (name, change, blamed) in TestPackages.Tamperings(package))
        {
            var verdict = await ChooseAsync(page, TestPackages.Tampered(package.Zip, dir.FullName, name, change), package.VerifierKey);
            Assert.True(verdict.StartsWith("结论：未通过 / VERDICT: FAILED", StringComparison.Ordinal), $"{name}: {verdict}");
            Assert.True(verdict.Split('\n')[0].Contains(blamed, StringComparison.Ordinal), $"{name}: {verdict}");
            Assert.True(await page.Locator($"tr[data-subject='{Css(blamed)}'][data-outcome=failed]").CountAsync() > 0, $"{name}: {verdict}");
        }
        var wrong = await ChooseAsync(page, package.Zip, NoteSigner.Generate("avledger-test").VerifierKey);
        Assert.StartsWith("结论：未通过 / VERDICT: FAILED — signer\n", wrong, StringComparison.Ordinal);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Each_attack_on_the_zip_structure_fails_and_names_the_entry_or_the_archive()
    {
        var package = TestPackages.Mini(dir.FullName);
        var page = await OpenAsync();
        // Written again byte by byte and unchanged, the package still verifies: the attacks below are all that differs.
        Assert.Equal("结论：通过 / VERDICT: PASSED", await ChooseAsync(page, TestPackages.Crafted(package.Zip, dir.FullName, "rewritten", _ => { }), package.VerifierKey));
        foreach (var (name, craft, blamed, says) in TestPackages.ZipAttacks(package))
        {
            var verdict = await ChooseAsync(page, TestPackages.Crafted(package.Zip, dir.FullName, name, craft), package.VerifierKey);
            Assert.True(verdict.StartsWith("结论：未通过 / VERDICT: FAILED", StringComparison.Ordinal), $"{name}: {verdict}");
            var named = await page.EvalOnSelectorAllAsync<bool>("#results tr[data-outcome=failed]",
                "(rows, [subject, says]) => rows.some(r => r.dataset.subject === subject && r.lastChild.textContent.includes(says) && r.children[2].textContent.length > 0)",
                new[] { blamed, says });
            Assert.True(named, $"{name}: {verdict}");
        }
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_package_forged_with_its_own_key_under_the_same_name_is_never_passed()
    {
        var genuine = TestPackages.Mini(dir.FullName);
        var forged = TestPackages.Mini(Directory.CreateDirectory(Path.Combine(dir.FullName, "forged")).FullName);
        var page = await OpenAsync();

        Assert.StartsWith("结论：签名者未核对 / VERDICT: SIGNER NOT CHECKED", await ChooseAsync(page, forged.Zip), StringComparison.Ordinal);
        Assert.StartsWith("结论：未通过 / VERDICT: FAILED — signer\n", await ChooseAsync(page, forged.Zip, genuine.VerifierKey), StringComparison.Ordinal);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Format_versions_the_page_does_not_know_are_refused_and_format_1_still_verifies()
    {
        var page = await OpenAsync();
        var future = TestPackages.Mini(dir.FullName, change: m => { m["format"] = "avledger-evidence-package/3"; m["formatVersion"] = 3; });
        var verdict = await ChooseAsync(page, future.Zip, future.VerifierKey);
        Assert.StartsWith("结论：未通过 / VERDICT: FAILED — manifest.json", verdict, StringComparison.Ordinal);
        Assert.Contains("unknown package format version 3", verdict, StringComparison.Ordinal);

        var old = TestPackages.Mini(Directory.CreateDirectory(Path.Combine(dir.FullName, "v1")).FullName, version: 1);
        Assert.Equal("结论：通过 / VERDICT: PASSED", await ChooseAsync(page, old.Zip, old.VerifierKey));
        Assert.Equal("notice", await page.GetAttributeAsync("tr[data-subject='report/report.html']", "data-outcome"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_unzipped_folder_and_a_deflated_zip_verify_too()
    {
        var package = TestPackages.Mini(dir.FullName);
        var page = await OpenAsync();
        var folder = Path.Combine(dir.FullName, "unzipped");
        ZipFile.ExtractToDirectory(package.Zip, folder);
        await page.FillAsync("#trusted", package.VerifierKey);
        await page.SetInputFilesAsync("#folder", folder);
        Assert.Equal("结论：通过 / VERDICT: PASSED", await VerdictAsync(page));
        await page.EvalOnSelectorAsync("#verdict", "v => v.dataset.outcome = ''");

        // An exporter may deflate the small files; the page inflates them (DecompressionStream).
        var deflated = Path.Combine(dir.FullName, "deflated.zip");
        using (var zip = ZipFile.Open(deflated, ZipArchiveMode.Create))
            foreach (var (name, bytes) in TestPackages.ReadZip(package.Zip))
            {
                using var s = zip.CreateEntry(name, name.StartsWith("originals/", StringComparison.Ordinal) ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
                s.Write(bytes);
            }
        Assert.Equal("结论：通过 / VERDICT: PASSED", await ChooseAsync(page, deflated, package.VerifierKey));
        await page.CloseAsync();
    }

    /// <summary>Slow (4 GiB through the page's own SHA-256): trait Category=Long.</summary>
    [Fact]
    [Trait("Category", "Long")]
    public async Task A_zip64_package_with_an_original_beyond_4_GiB_verifies_in_the_page()
    {
        var package = TestPackages.Mini(dir.FullName, 1000, (4L << 30) + 4097);
        var page = await OpenAsync();
        await page.FillAsync("#trusted", package.VerifierKey);
        await page.SetInputFilesAsync("#files", package.Zip);
        await page.WaitForSelectorAsync("#verdict[data-outcome=passed], #verdict[data-outcome=failed]", new() { Timeout = 600_000 });
        Assert.Equal("结论：通过 / VERDICT: PASSED", await page.TextContentAsync("#verdict"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Files_beyond_the_in_memory_limit_are_hashed_by_the_streaming_sha256()
    {
        // Threshold 0: every file goes through the page's own SHA-256 rather than crypto.subtle.digest.
        var package = TestPackages.Mini(dir.FullName, originalBytes: 3 * 1024 * 1024 + 17);
        var page = await OpenAsync("window.AVLEDGER_STREAM_THRESHOLD = 0;");
        Assert.Equal("结论：通过 / VERDICT: PASSED", await ChooseAsync(page, package.Zip, package.VerifierKey));
        var (name, change, blamed) = TestPackages.Tamperings(package)[0];
        Assert.Contains(blamed, await ChooseAsync(page, TestPackages.Tampered(package.Zip, dir.FullName, name, change)), StringComparison.Ordinal);
        await page.CloseAsync();
    }
}
