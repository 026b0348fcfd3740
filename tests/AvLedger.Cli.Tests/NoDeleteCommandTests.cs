using System.CommandLine;
using System.Reflection;

namespace AvLedger.Cli.Tests;

/// <summary>Art. 13: nothing removes an original before an approved purge; the CLI has no way at all.</summary>
public sealed class NoDeleteCommandTests
{
    static IEnumerable<Command> All(Command c) => c.Subcommands.SelectMany(All).Prepend(c);

    [Fact]
    public void No_cli_command_or_option_deletes_purges_or_removes_anything()
    {
        var factories = typeof(Commands).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Command) && m.GetParameters().Length == 0).ToList();
        Assert.NotEmpty(factories);
        var names = factories.SelectMany(m => All((Command)m.Invoke(null, null)!))
            .SelectMany(c => c.Options.Select(o => o.Name).Concat(c.Aliases).Append(c.Name)).ToList();
        Assert.Contains("scrub", names);
        foreach (var forbidden in new[] { "delete", "remove", "rm", "purge", "destroy", "erase", "wipe", "prune" })
            Assert.DoesNotContain(names, n => n.TrimStart('-').Split('-').Contains(forbidden, StringComparer.OrdinalIgnoreCase));
    }
}
