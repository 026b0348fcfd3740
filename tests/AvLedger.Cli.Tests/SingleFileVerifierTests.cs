using System.Diagnostics;
using AvLedger.Server.Tests.Verify;

namespace AvLedger.Cli.Tests;

/// <summary>The self-contained single-file verifier, published by scripts/publish-verifiers.sh,
/// copied alone into an empty directory and run there — no .NET install needed, no repository, no server.
/// Slow (a publish): trait Category=Long, so a quick run can leave it out with --filter "Category!=Long".</summary>
[Trait("Category", "Long")]
public sealed class SingleFileVerifierTests : IDisposable
{
    readonly DirectoryInfo work = Directory.CreateTempSubdirectory("avledger-verifier-exe-");

    public void Dispose() => work.Delete(recursive: true);

    static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AvLedger.slnx"))) return d.FullName;
        throw new InvalidOperationException("AvLedger.slnx not found above the test output");
    }

    static Task<(int Exit, string Output)> RunAsync(string file, string cwd, params string[] args) => RunAsync(file, cwd, [], args);

    static Task<(int Exit, string Output)> RunAsync(string file, string cwd, Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = cwd };
        foreach (var a in args) start.ArgumentList.Add(a);
        // As on a machine without .NET: no runtime to find, no SDK on the path.
        start.Environment.Remove("DOTNET_ROOT");
        start.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var (k, v) in env) start.Environment[k] = v;
        return ChildProcess.RunAsync(start);
    }

    [Fact]
    public async Task The_published_linux_verifier_runs_alone_from_another_directory()
    {
        var root = RepositoryRoot();
        var (built, log) = await RunAsync("/bin/bash", root, "scripts/publish-verifiers.sh", "linux-x64");
        Assert.True(built == 0, log);
        var exe = Path.Combine(work.FullName, "avledger-verify");
        File.Copy(Path.Combine(root, "dist", "verifiers", "avledger-verify-linux-x64"), exe);
        File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var package = TestPackages.Mini(work.FullName);
        var (exit, output) = await RunAsync(exe, work.FullName, "evidence-package.zip", "--trusted-key", package.VerifierKey);
        Assert.True(exit == 0, output);
        Assert.Contains("结论：通过 / VERDICT: PASSED", output, StringComparison.Ordinal);

        var (name, change, blamed) = TestPackages.Tamperings(package)[1];
        (exit, output) = await RunAsync(exe, work.FullName, TestPackages.Tampered(package.Zip, work.FullName, name, change));
        Assert.True(exit == 1, output);
        Assert.Contains($"[未通过 FAIL] {blamed}", output, StringComparison.Ordinal);
    }

    static readonly string[] Wines = ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"];

    /// <summary>No Windows here: the published .exe runs under Wine (Debian's wine64, which
    /// ./test.sh --long installs), in a fresh Wine prefix with no .NET in it.</summary>
    [Fact]
    public async Task The_published_windows_verifier_runs_alone_under_wine()
    {
        var wine = Wines.FirstOrDefault(File.Exists);
        Assert.True(wine is not null, "Wine is not installed (apt-get install wine64; ./test.sh --long installs it)");
        var root = RepositoryRoot();
        var (built, log) = await RunAsync("/bin/bash", root, "scripts/publish-verifiers.sh", "win-x64");
        Assert.True(built == 0, log);
        var exe = Path.Combine(work.FullName, "avledger-verify.exe");
        File.Copy(Path.Combine(root, "dist", "verifiers", "avledger-verify-win-x64.exe"), exe);
        var env = new Dictionary<string, string> { ["WINEPREFIX"] = Path.Combine(work.FullName, "wine"), ["WINEDEBUG"] = "-all", ["HOME"] = work.FullName };
        try
        {
            var package = TestPackages.Mini(work.FullName);
            var (exit, output) = await RunAsync(wine!, work.FullName, env, exe, "evidence-package.zip", "--trusted-key", package.VerifierKey);
            Assert.True(exit == 0, output);
            Assert.Contains("结论：通过 / VERDICT: PASSED", output, StringComparison.Ordinal);

            var (name, change, blamed) = TestPackages.Tamperings(package)[0];
            (exit, output) = await RunAsync(wine!, work.FullName, env, exe, TestPackages.Tampered(package.Zip, work.FullName, name, change));
            Assert.True(exit == 1, output);
            Assert.Contains($"[未通过 FAIL] {blamed}", output, StringComparison.Ordinal);
        }
        finally
        {
            var server = Path.Combine(Path.GetDirectoryName(wine!)!, "wineserver");
            if (File.Exists(server)) await RunAsync(server, work.FullName, env, "-k");
        }
    }
}
