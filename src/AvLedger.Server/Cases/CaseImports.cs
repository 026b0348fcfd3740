using System.Globalization;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Cases;
using AvLedger.Core.Refusals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using CsvHelper;
using CsvHelper.Configuration;

namespace AvLedger.Server.Cases;

/// <summary>HTTP face of <see cref="CaseImport"/> (Art. 15, R-15b): the enforcement management system
/// sends its cases and on-site enforcement events as a JSON array or as CSV with a header row; this
/// reads them into rows, and the use case takes all or nothing.</summary>
public static class CaseImports
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public static void MapCaseImports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/cases/import", async (HttpRequest request, CurrentUser user, CaseImport import, CancellationToken ct) =>
            {
                var rows = await ReadAsync(request, ["number", "title", "unitCode"], ct);
                return rows.Refusal is { } bad ? Problems.From(bad) : (await import.CasesAsync(user.Scope, rows.Value!, ct)).AsOk();
            }).Accepts<string>("text/csv", "application/json")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.SystemAdministrator)))
            .WithSummary("从执法管理系统导入案件（CSV 或 JSON）")
            .WithDescription("列：number、title、unitCode 必填；按案号新增或更新。任何一行有误则整批不导入，问题详情列出出错的行；之后自动关联录像，响应只给数量。");
        app.MapPost("/api/v1/enforcement-events/import", async (HttpRequest request, CurrentUser user, CaseImport import, CancellationToken ct) =>
            {
                var rows = await ReadAsync(request, ["officerBadge", "start", "end", "caseNumber"], ct);
                return rows.Refusal is { } bad ? Problems.From(bad) : (await import.EventsAsync(user.Scope, rows.Value!, ct)).AsOk();
            }).Accepts<string>("text/csv", "application/json")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.SystemAdministrator)))
            .WithSummary("导入执法事件（按执法证号和时间关联案件）")
            .WithDescription("列：officerBadge、start、end、caseNumber 必填，externalId 使重复导入不重复登记；该执法人员在该时段内的录像自动关联到案件。任何一行有误则整批不导入。");
    }

    /// <summary>Rows as lower-cased field name → text: CSV lines (numbered as in the file, header = 1) or
    /// the items of a JSON array (numbered from 1).</summary>
    static async Task<Outcome<List<CaseImport.Row>>> ReadAsync(HttpRequest request, string[] required, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return new Refusal(413, "too-large", "import-mib", MaxBytes / 1024 / 1024);
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var json = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        var read = json ? FromJson(text) : await FromCsvAsync(text);
        if (read.Refusal is not null) return read;
        var rows = read.Value!;
        if (rows.Count == 0) return ImportRefusal.Of(1, "nothing to import / 没有可导入的内容");
        if (rows.Count > CaseImport.MaxRows) return ImportRefusal.Of(CaseImport.MaxRows + 1, $"at most {CaseImport.MaxRows} rows per import / 每次最多导入 {CaseImport.MaxRows} 行");
        if (!json)
        {
            var headers = rows[0].Fields.Keys.ToHashSet();
            var missing = required.Where(r => !headers.Contains(r.ToLowerInvariant())).ToList();
            if (missing.Count > 0) return ImportRefusal.Of(1, $"missing columns / 缺少列: {string.Join(", ", missing)}");
        }
        else
        {
            var lines = rows.Select(r => (r.Line, Missing: required.Where(f => r.Field(f) is null).ToList()))
                .Where(x => x.Missing.Count > 0).Select(x => new ImportLine(x.Line, $"missing fields / 缺少字段: {string.Join(", ", x.Missing)}")).ToList();
            if (lines.Count > 0) return ImportRefusal.Of(lines);
        }
        return rows;
    }

    static Outcome<List<CaseImport.Row>> FromJson(string text)
    {
        var rows = new List<CaseImport.Row>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return ImportRefusal.Of(1, "expected a JSON array / 须为 JSON 数组");
            var n = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                n++;
                if (item.ValueKind != JsonValueKind.Object) return ImportRefusal.Of(n, "expected an object / 须为对象");
                var fields = new Dictionary<string, string>();
                foreach (var p in item.EnumerateObject())
                    fields[p.Name.ToLowerInvariant()] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString()!.Trim(),
                        JsonValueKind.Null => "",
                        // Plates and parties may come as lists.
                        JsonValueKind.Array => string.Join("；", p.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                        _ => p.Value.GetRawText(),
                    };
                rows.Add(new CaseImport.Row(n, fields));
            }
        }
        catch (JsonException e)
        {
            return ImportRefusal.Of((int)(e.LineNumber ?? 0) + 1, $"malformed JSON / 格式错误: {e.Message.Split('\n')[0]}");
        }
        return rows;
    }

    static async Task<Outcome<List<CaseImport.Row>>> FromCsvAsync(string text)
    {
        var rows = new List<CaseImport.Row>();
        using var csv = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            DetectDelimiter = false,
        });
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader()) return ImportRefusal.Of(1, "empty file / 文件为空");
            var headers = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            while (await csv.ReadAsync())
                rows.Add(new CaseImport.Row(csv.Parser.Row, headers.Select((h, i) => (h, csv.GetField(i) ?? "")).ToDictionary(x => x.h, x => x.Item2)));
        }
        catch (CsvHelperException e)
        {
            return ImportRefusal.Of(csv.Parser.Row, $"malformed CSV / 格式错误: {e.Message.Split('\n')[0]}");
        }
        return rows;
    }
}
