using System.Globalization;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using AvLedger.Core.Refusals;
using AvLedger.Core.Units;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Accounts;

/// <summary>CSV import of units and users (UTF-8, header row). All or nothing: one bad line and
/// nothing is stored, and every bad line is named.</summary>
public static class DirectoryImport
{
    public const long MaxBytes = 5 * 1024 * 1024;
    public sealed record Imported(int Count);

    public static void MapDirectoryImport(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/units/import", ImportUnitsAsync).Accepts<string>("text/csv")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)))
            .WithSummary("批量导入单位（CSV）")
            .WithDescription("请求正文为 UTF-8 CSV，首行为列名；任何一行有误则整批不导入，问题详情列出出错的行。");
        app.MapPost("/api/v1/users/import", ImportUsersAsync).Accepts<string>("text/csv")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)))
            .WithSummary("批量导入用户（CSV）")
            .WithDescription("请求正文为 UTF-8 CSV，首行为列名；任何一行有误则整批不导入，问题详情列出出错的行。");
    }

    static async Task<(List<(int Line, Dictionary<string, string> Fields)> Rows, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string[] required, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            return ([], Problems.From(new Refusal(413, "too-large", "directory-mib", MaxBytes / 1024 / 1024) { TitleKey = "too-large.file" }));
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        using var csv = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            TrimOptions = TrimOptions.Trim,
            DetectDelimiter = false,
        });
        var rows = new List<(int, Dictionary<string, string>)>();
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader())
                return (rows, Problems.ImportRefused([new LineProblem(1, "empty file / 文件为空")]));
            var headers = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            var missing = required.Where(r => !headers.Contains(r.ToLowerInvariant())).ToList();
            if (missing.Count > 0) return (rows, Problems.ImportRefused([new LineProblem(1, $"missing columns / 缺少列: {string.Join(", ", missing)}")]));
            while (await csv.ReadAsync())
                rows.Add((csv.Parser.Row, headers.Select((h, i) => (h, csv.GetField(i) ?? "")).ToDictionary(x => x.h, x => x.Item2)));
        }
        catch (CsvHelperException e)
        {
            return (rows, Problems.ImportRefused([new LineProblem(csv.Parser.Row, $"malformed CSV / 格式错误: {e.Message.Split('\n')[0]}")]));
        }
        return (rows, null);
    }

    static string? Field(Dictionary<string, string> f, string name) => f.TryGetValue(name.ToLowerInvariant(), out var v) && v.Length > 0 ? v : null;

    static async Task<IResult> ImportUnitsAsync(HttpRequest request, CurrentUser actor, AvLedgerDb db, UnitTree tree, CancellationToken ct)
    {
        var (rows, problem) = await ReadAsync(request, ["code", "name"], ct);
        if (problem is not null) return problem;
        var lines = new List<LineProblem>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var (line, f) in rows)
        {
            var added = await tree.AddAsync(actor.Scope, new UnitTree.NewUnit(Field(f, "code"), Field(f, "name"), Field(f, "parentCode")), ct);
            if (added.Refusal is { } refused) lines.Add(new LineProblem(line, refused.Describe()));
        }
        if (lines.Count > 0) return Problems.ImportRefused(lines);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new Imported(rows.Count));
    }

    static async Task<IResult> ImportUsersAsync(HttpRequest request, CurrentUser actor, AvLedgerDb db, AccountDirectory directory, CancellationToken ct)
    {
        var (rows, problem) = await ReadAsync(request, ["username", "password", "name", "unitCode", "roles"], ct);
        if (problem is not null) return problem;
        var lines = new List<LineProblem>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var (line, f) in rows)
        {
            var names = (Field(f, "roles") ?? "").Split([';', '|', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = names.Where(n => !Enum.TryParse<Role>(n, ignoreCase: true, out var r) || r == Role.None).ToList();
            if (unknown.Count > 0)
            {
                lines.Add(new LineProblem(line, $"unknown roles / 未知角色: {string.Join(", ", unknown)}"));
                continue;
            }
            var roles = names.Select(n => Enum.Parse<Role>(n, ignoreCase: true)).ToList();
            var created = await directory.CreateAsync(actor.Scope,
                new AccountDirectory.NewUser(Field(f, "username"), Field(f, "password"), Field(f, "badge"), Field(f, "name"), Field(f, "unitCode"), roles), ct);
            if (created.Refusal is { } refused) lines.Add(new LineProblem(line, refused.Describe()));
        }
        if (lines.Count > 0) return Problems.ImportRefused(lines);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new Imported(rows.Count));
    }
}
