using System.Text.RegularExpressions;

namespace AvLedger.Architecture.Tests;

/// <summary>Pages and the CLI call the use cases in Core, never an endpoint class, and pages get their
/// data through the use cases' queries rather than the database.</summary>
public sealed partial class UseCaseTests
{
    [GeneratedRegex(@"\b[A-Z]\w*Api\.")]
    private static partial Regex EndpointClass();

    static IEnumerable<string> Pages() =>
        SourceTree.CodeFiles("Server").Where(f => f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(SourceTree.Projects["Server"], f));

    static string Page(string relative) => Path.Combine(SourceTree.Projects["Server"], relative);

    [Fact]
    public void Pages_call_use_cases_not_endpoint_classes()
    {
        var calling = Pages().Where(p => EndpointClass().IsMatch(SourceTree.Code(Page(p)))).Order(StringComparer.Ordinal).ToList();
        Assert.Empty(calling);
    }

    [GeneratedRegex(@"<form method=""post""(?<tag>(?:[^>""]|""[^""]*"")*)>(?<after>\s*<OnceToken />)?")]
    private static partial Regex PostedForm();

    /// <summary>A page form without its one-time token could be sent twice (refresh, double click) and save twice.</summary>
    [Fact]
    public void Every_page_form_carries_a_one_time_token()
    {
        var bare = Pages().Where(p => !p.EndsWith("Login.razor", StringComparison.Ordinal))
            .SelectMany(p => PostedForm().Matches(SourceTree.Code(Page(p)))
                .Where(m => m.Groups["tag"].Value.Contains("@formname", StringComparison.Ordinal) && !m.Groups["after"].Success)
                .Select(m => $"{p}: {m.Value[..Math.Min(80, m.Value.Length)]}"))
            .ToList();
        Assert.Empty(bare);
        Assert.Contains(Pages(), p => SourceTree.Code(Page(p)).Contains("<OnceToken />", StringComparison.Ordinal));
    }

    [Fact]
    public void Pages_get_their_data_through_use_cases()
    {
        var querying = Pages().Where(p => SourceTree.Code(Page(p)).Contains("@inject AvLedgerDb", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Empty(querying);
    }

    [Fact]
    public void The_cli_calls_no_endpoint_class()
    {
        var calling = SourceTree.CodeFiles("Cli").Where(f => EndpointClass().IsMatch(SourceTree.Code(f))).Select(SourceTree.Relative).ToList();
        Assert.Empty(calling);
    }
}
