namespace AvLedger.Core.Refusals;

/// <summary>A line of an import that cannot be taken, numbered as in what was sent (a CSV header is line 1).</summary>
public sealed record ImportLine(int Line, string Problem);

public static class ImportRefusal
{
    /// <summary>An all-or-nothing import refused: nothing was stored, and every bad line is named (in <c>lines</c>).</summary>
    public static Refusal Of(IReadOnlyList<ImportLine> lines) =>
        new(400, "import-invalid", "lines", lines.Count) { Extensions = new Dictionary<string, object> { ["lines"] = lines } };

    public static Refusal Of(int line, string problem) => Of([new ImportLine(line, problem)]);
}
