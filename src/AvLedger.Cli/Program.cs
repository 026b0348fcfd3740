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
return await root.Parse(args).InvokeAsync();
