using System.CommandLine;
using AvLedger.Cli;

var root = new RootCommand("AvLedger 执法音像记录管理系统 — enforcement AV record vault");
root.Subcommands.Add(Commands.Serve());
root.Subcommands.Add(Commands.Demo());
root.Subcommands.Add(Commands.Samples());
root.Subcommands.Add(Commands.Upload());
root.Subcommands.Add(Commands.Scrub());
root.Subcommands.Add(Commands.VerifyLog());
root.Subcommands.Add(Commands.Checkpoint());
root.Subcommands.Add(Commands.Verify());
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (HttpRequestException e)
{
    // A user's mistake or an unreachable server, not a bug: say so without a stack trace.
    await Console.Error.WriteLineAsync($"无法连接服务器或请求被拒绝 / cannot reach the server or the request was refused: {e.Message}");
    return 1;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    await Console.Error.WriteLineAsync($"端口已被占用 / the address is already in use: {e.Message} — choose another with --urls");
    return 1;
}
