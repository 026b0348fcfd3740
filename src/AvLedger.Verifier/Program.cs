using System.Text;
using AvLedger.Verify;

// avledger-verify PACKAGE.zip [--trusted-key KEY]: the same check as `avledger verify`, nothing else.
Console.OutputEncoding = Encoding.UTF8;
string? package = null, trustedKey = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--trusted-key" && i + 1 < args.Length) trustedKey = args[++i];
    else if (args[i] is "-h" or "--help" or "/?") package = null;
    else if (package is null && !args[i].StartsWith("--", StringComparison.Ordinal)) package = args[i];
    else
    {
        package = null;
        break;
    }
}
if (package is null)
{
    Console.WriteLine("用法 / usage: avledger-verify PACKAGE.zip [--trusted-key name+hash+base64|KEYFILE]");
    Console.WriteLine("离线核验执法音像证据包；全部通过才返回 0 / verifies an evidence package offline; exit 0 only when all holds");
    Console.Write(VerifyPackageCommand.ExitCodes);
    return VerifyPackageCommand.Usage;
}
return await VerifyPackageCommand.RunAsync(package, trustedKey, Console.Out, CancellationToken.None);
