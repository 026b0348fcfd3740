using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AvLedger.Architecture.Tests;

/// <summary>The repository's projects and their code, read from disk.</summary>
public static partial class SourceTree
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AvLedger.slnx"))) return dir.FullName;
        throw new InvalidOperationException("AvLedger.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Product projects by short name (Core, Server, …).</summary>
    public static IReadOnlyDictionary<string, string> Projects { get; } =
        Directory.GetDirectories(Path.Combine(Root, "src"), "AvLedger.*")
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .ToDictionary(d => Path.GetFileName(d)["AvLedger.".Length..], d => d);

    public static IReadOnlyList<string> ProjectReferences(string project)
    {
        var csproj = Path.Combine(Projects[project], $"AvLedger.{project}.csproj");
        return XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/'))["AvLedger.".Length..])
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A project's own code files (.cs and .razor), without build output and generated migrations.</summary>
    public static IEnumerable<string> CodeFiles(string project) =>
        Directory.EnumerateFiles(Projects[project], "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    /// <summary>Code without comments, so a cref or a note naming a namespace is not a dependency.</summary>
    public static string Code(string file) => Comments().Replace(File.ReadAllText(file), "");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex Comments();

    /// <summary>Every AvLedger namespace a file names (usings and qualified names), as "Server.Records", "Core.Scoping", ….</summary>
    public static IEnumerable<string> NamespacesUsed(string file) =>
        QualifiedName().Matches(Code(file)).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex(@"\bAvLedger\.((?:[A-Z]\w*)(?:\.[A-Z]\w*)*)")]
    private static partial Regex QualifiedName();

    public static string Relative(string file) => Path.GetRelativePath(Root, file);
}
