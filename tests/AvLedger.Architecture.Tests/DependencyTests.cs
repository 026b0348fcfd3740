namespace AvLedger.Architecture.Tests;

/// <summary>The arrows of docs/architecture.md: each project references only the projects below it, and
/// its code names no namespace of a project it cannot reach.</summary>
public sealed class DependencyTests
{
    /// <summary>Direct project references each project may have.</summary>
    static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Ledger"] = [],
        ["Storage"] = [],
        ["Media"] = [],
        ["Verify"] = ["Ledger"],
        ["Verifier"] = ["Verify"],
        ["Core"] = ["Ledger"],
        ["Migrations.Sqlite"] = ["Core"],
        ["Migrations.Postgres"] = ["Core"],
        // The composition root also loads the migrations of both database providers.
        ["Server"] = ["Core", "Media", "Migrations.Postgres", "Migrations.Sqlite", "Storage"],
        ["Cli"] = ["Server", "Verify"],
    };

    static IEnumerable<string> Reachable(string project) =>
        Allowed[project].SelectMany(p => Reachable(p).Append(p)).Distinct();

    public static TheoryData<string> Projects() => new(SourceTree.Projects.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Every_project_has_a_row_in_the_table()
    {
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), SourceTree.Projects.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_the_projects_below_it(string project)
    {
        var extra = SourceTree.ProjectReferences(project).Except(Allowed[project]).ToList();
        Assert.True(extra.Count == 0, $"{project} references {string.Join(", ", extra)}, which docs/architecture.md does not allow");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Code_names_only_namespaces_of_projects_it_can_reach(string project)
    {
        var reach = Reachable(project).Append(project).ToHashSet();
        var wrong = SourceTree.CodeFiles(project)
            .SelectMany(f => SourceTree.NamespacesUsed(f).Select(ns => (File: f, Namespace: ns)))
            .Where(u => !reach.Contains(OwningProject(u.Namespace)))
            .Select(u => $"{SourceTree.Relative(u.File)}: AvLedger.{u.Namespace}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{project} names what it may not reach:\n" + string.Join("\n", wrong));
    }

    /// <summary>The CLI hosts the server (serve, demo, scrub) and nothing more: no endpoint class, no feature of the web app.</summary>
    [Fact]
    public void The_cli_uses_the_server_only_to_host_it()
    {
        var wrong = SourceTree.CodeFiles("Cli")
            .SelectMany(f => SourceTree.NamespacesUsed(f).Select(ns => (File: f, Namespace: ns)))
            .Where(u => OwningProject(u.Namespace) == "Server" && u.Namespace != "Server.Hosting")
            .Select(u => $"{SourceTree.Relative(u.File)}: AvLedger.{u.Namespace}")
            .ToList();
        Assert.True(wrong.Count == 0, "the CLI reaches into the web app:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Core_does_not_branch_on_the_database_provider()
    {
        var names = new[] { "ProviderName", "IsSqlite(", "IsNpgsql(", "UseSqlite(", "UseNpgsql(", "Microsoft.EntityFrameworkCore.Sqlite", "Npgsql.EntityFrameworkCore" };
        var wrong = SourceTree.CodeFiles("Core")
            .SelectMany(f => names.Where(n => SourceTree.Code(f).Contains(n, StringComparison.Ordinal)).Select(n => $"{SourceTree.Relative(f)}: {n}"))
            .ToList();
        Assert.True(wrong.Count == 0, "Core knows which database it runs on:\n" + string.Join("\n", wrong));
    }

    /// <summary>The project a namespace belongs to: the longest project name it starts with.</summary>
    static string OwningProject(string ns) =>
        SourceTree.Projects.Keys.Where(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal)).MaxBy(p => p.Length) ?? ns;
}
