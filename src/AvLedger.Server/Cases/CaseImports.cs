using AvLedger.Core.Scoping;
using System.Globalization;
using System.Text.Json;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Cases;

/// <summary>Art. 15 (R-15b): the enforcement management system sends its cases and on-site enforcement
/// events, as a JSON array or as CSV with a header row. All or nothing: one bad line and nothing is
/// stored, and every bad line is named. Cases are upserted by number, events are idempotent by
/// externalId; then records are linked automatically. The answer is counts only: the importer need
/// not be allowed to see the records it links.</summary>
public static class CaseImports
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 10_000;
    public static readonly TimeSpan MaxEventSpan = TimeSpan.FromDays(7);

    public sealed record CasesImported(int Cases, int Links);
    public sealed record EventsImported(int Events, int Duplicates, int Links);

    public static void MapCaseImports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/cases/import", ImportCasesAsync).Accepts<string>("text/csv", "application/json")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.SystemAdministrator)));
        app.MapPost("/api/v1/enforcement-events/import", ImportEventsAsync).Accepts<string>("text/csv", "application/json")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.SystemAdministrator)));
    }

    /// <summary>Rows as lower-cased field name → text: CSV lines (numbered as in the file, header = 1) or
    /// the items of a JSON array (numbered from 1).</summary>
    static async Task<(List<(int Line, Dictionary<string, string> Fields)> Rows, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string[] required, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            return ([], Problems.Of(413, "too-large", "内容过大", "Too large", $"一次导入不得超过 {MaxBytes / 1024 / 1024} MiB。", $"At most {MaxBytes / 1024 / 1024} MiB per import."));
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var json = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        var (rows, problem) = json ? FromJson(text) : await FromCsvAsync(text);
        if (problem is not null) return (rows, problem);
        if (rows.Count == 0) return (rows, Problems.ImportRefused([new LineProblem(1, "nothing to import / 没有可导入的内容")]));
        if (rows.Count > MaxRows) return (rows, Problems.ImportRefused([new LineProblem(MaxRows + 1, $"at most {MaxRows} rows per import / 每次最多导入 {MaxRows} 行")]));
        if (!json)
        {
            var headers = rows[0].Fields.Keys.ToHashSet();
            var missing = required.Where(r => !headers.Contains(r.ToLowerInvariant())).ToList();
            if (missing.Count > 0) return (rows, Problems.ImportRefused([new LineProblem(1, $"missing columns / 缺少列: {string.Join(", ", missing)}")]));
        }
        else
        {
            var lines = rows.Select(r => (r.Line, Missing: required.Where(f => Field(r.Fields, f) is null).ToList()))
                .Where(x => x.Missing.Count > 0).Select(x => new LineProblem(x.Line, $"missing fields / 缺少字段: {string.Join(", ", x.Missing)}")).ToList();
            if (lines.Count > 0) return (rows, Problems.ImportRefused(lines));
        }
        return (rows, null);
    }

    static (List<(int Line, Dictionary<string, string> Fields)>, ProblemHttpResult?) FromJson(string text)
    {
        var rows = new List<(int Line, Dictionary<string, string> Fields)>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return (rows, Problems.ImportRefused([new LineProblem(1, "expected a JSON array / 须为 JSON 数组")]));
            var n = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                n++;
                if (item.ValueKind != JsonValueKind.Object) return (rows, Problems.ImportRefused([new LineProblem(n, "expected an object / 须为对象")]));
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
                rows.Add((n, fields));
            }
        }
        catch (JsonException e)
        {
            return (rows, Problems.ImportRefused([new LineProblem((int)(e.LineNumber ?? 0) + 1, $"malformed JSON / 格式错误: {e.Message.Split('\n')[0]}")]));
        }
        return (rows, null);
    }

    static async Task<(List<(int Line, Dictionary<string, string> Fields)>, ProblemHttpResult?)> FromCsvAsync(string text)
    {
        var rows = new List<(int Line, Dictionary<string, string> Fields)>();
        using var csv = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            DetectDelimiter = false,
        });
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader()) return (rows, Problems.ImportRefused([new LineProblem(1, "empty file / 文件为空")]));
            var headers = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            while (await csv.ReadAsync())
                rows.Add((csv.Parser.Row, headers.Select((h, i) => (h, csv.GetField(i) ?? "")).ToDictionary(x => x.h, x => x.Item2)));
        }
        catch (CsvHelperException e)
        {
            return (rows, Problems.ImportRefused([new LineProblem(csv.Parser.Row, $"malformed CSV / 格式错误: {e.Message.Split('\n')[0]}")]));
        }
        return (rows, null);
    }

    static string? Field(Dictionary<string, string> f, string name) => f.TryGetValue(name.ToLowerInvariant(), out var v) && v.Trim().Length > 0 ? v.Trim() : null;

    static async Task<IResult> ImportCasesAsync(HttpRequest request, CurrentUser user, AvLedgerDb db, TimeProvider clock, IOptions<AvLedgerOptions> options, CancellationToken ct)
    {
        string[] required = ["number", "title", "unitCode"];
        var (rows, problem) = await ReadAsync(request, required, ct);
        if (problem is not null) return problem;
        var now = clock.GetUtcNow();
        // The integration account (an administrator) may file cases anywhere; a legal officer within their subtree.
        var anywhere = user.Account.Has(Role.SystemAdministrator);
        var path = user.Account.UnitPath;
        var codes = rows.Select(r => Field(r.Fields, "unitCode")).OfType<string>().Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => codes.Contains(u.Code) && !u.Disabled).ToDictionaryAsync(u => u.Code, ct);
        var numbers = rows.Select(r => Field(r.Fields, "number")).OfType<string>().Distinct().ToList();
        var existing = await db.Cases.Where(c => numbers.Contains(c.Number)).ToDictionaryAsync(c => c.Number, ct);
        var lines = new List<LineProblem>();
        var seen = new Dictionary<string, int>();
        var valid = new List<(string Number, string Title, string? Type, CaseStatus? Status, Core.Units.Unit Unit, string? Plates, string? Parties)>();
        foreach (var (line, f) in rows)
        {
            var number = Field(f, "number");
            if (CasesApi.Check(number, Field(f, "title"), Field(f, "type"), Field(f, "plates"), Field(f, "parties")) is { } bad)
            {
                lines.Add(new LineProblem(line, $"{bad.En} / {bad.Zh}"));
                continue;
            }
            if (seen.TryGetValue(number!, out var first))
            {
                lines.Add(new LineProblem(line, $"case number {number} also on line {first} / 案号 {number} 与第 {first} 行重复"));
                continue;
            }
            seen[number!] = line;
            CaseStatus? status = null;
            if (Field(f, "status") is { } s)
            {
                if (!Enum.TryParse<CaseStatus>(s, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    lines.Add(new LineProblem(line, $"unknown status {s} (open, closed, archived) / 未知状态 {s}"));
                    continue;
                }
                status = parsed;
            }
            var code = Field(f, "unitCode")!;
            if (!units.TryGetValue(code, out var unit) || !(anywhere || Scope.Under(unit.Path, path)))
            {
                lines.Add(new LineProblem(line, $"unit {code} does not exist or is outside your scope / 单位 {code} 不存在或不在您的管辖范围内"));
                continue;
            }
            if (!anywhere && existing.TryGetValue(number!, out var other) && !Scope.Under(other.UnitPath, path))
            {
                lines.Add(new LineProblem(line, $"case {number} belongs to a unit outside your scope / 案件 {number} 属于您管辖范围以外的单位"));
                continue;
            }
            valid.Add((number!, Field(f, "title")!, Field(f, "type"), status, unit, Field(f, "plates"), Field(f, "parties")));
        }
        if (lines.Count > 0) return Problems.ImportRefused(lines);

        var links = 0;
        var buffer = options.Value.CaseLinkBuffer;
        foreach (var row in valid)
        {
            if (existing.TryGetValue(row.Number, out var @case))
            {
                var changed = @case.Title != row.Title || @case.CaseType != row.Type || @case.UnitId != row.Unit.Id || @case.Plates != row.Plates || @case.Parties != row.Parties;
                (@case.Title, @case.CaseType, @case.UnitId, @case.UnitPath, @case.Plates, @case.Parties) = (row.Title, row.Type, row.Unit.Id, row.Unit.Path, row.Plates, row.Parties);
                if (changed) db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.updated", @case, user.Id, now));
                if (row.Status is { } status && status != @case.Status)
                {
                    // The enforcement management system is where cases are decided: its status is taken as it comes.
                    @case.Status = status;
                    @case.ClosedAt = status == CaseStatus.Open ? null : @case.ClosedAt ?? now;
                    db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.status", @case, user.Id, now));
                }
            }
            else
            {
                var status = row.Status ?? CaseStatus.Open;
                @case = new Case
                {
                    Id = Ids.New(), Number = row.Number, Title = row.Title, CaseType = row.Type, Status = status, UnitId = row.Unit.Id, UnitPath = row.Unit.Path,
                    Plates = row.Plates, Parties = row.Parties, CreatedAt = now, ClosedAt = status == CaseStatus.Open ? null : now,
                };
                db.Cases.Add(@case);
                db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.created", @case, user.Id, now));
            }
            links += await CaseLinking.LinkCaseAsync(db, @case, buffer, user.Id, now, ct);
        }
        await CasesApi.SaveKeepingRetentionAsync(db, valid.Select(v => v.Number).ToList(), now, ct);
        return TypedResults.Ok(new CasesImported(valid.Count, links));
    }

    static async Task<IResult> ImportEventsAsync(HttpRequest request, CurrentUser user, AvLedgerDb db, TimeProvider clock, IOptions<AvLedgerOptions> options, CancellationToken ct)
    {
        string[] required = ["officerBadge", "start", "end", "caseNumber"];
        var (rows, problem) = await ReadAsync(request, required, ct);
        if (problem is not null) return problem;
        var now = clock.GetUtcNow();
        var externalIds = rows.Select(r => Field(r.Fields, "externalId")).OfType<string>().Distinct().ToList();
        var known = (await db.EnforcementEvents.Where(e => e.ExternalId != null && externalIds.Contains(e.ExternalId)).Select(e => e.ExternalId!).ToListAsync(ct)).ToHashSet();
        var lines = new List<LineProblem>();
        var fresh = new List<EnforcementEvent>();
        var duplicates = 0;
        foreach (var (line, f) in rows)
        {
            var badge = Field(f, "officerBadge");
            var number = Field(f, "caseNumber");
            var externalId = Field(f, "externalId");
            // A time without an offset is Beijing time, as the enforcement management system keeps it.
            var start = RecordingTimes.ParseDeviceTime(Field(f, "start"), RecordingTimes.China);
            var end = RecordingTimes.ParseDeviceTime(Field(f, "end"), RecordingTimes.China);
            var place = Field(f, "place");
            string? wrong =
                badge is null || badge.Length > 50 ? "officerBadge is required (at most 50 characters) / 须填写警号"
                : CasesApi.Check(number, "-", null, null, null) is { } bad ? $"caseNumber: {bad.En} / {bad.Zh}"
                : start is null ? $"start is not a time: {Field(f, "start")} / 开始时间格式错误"
                : end is null ? $"end is not a time: {Field(f, "end")} / 结束时间格式错误"
                : end < start ? "end is before start / 结束时间早于开始时间"
                : end - start > MaxEventSpan ? $"an event lasts at most {MaxEventSpan.TotalDays} days / 现场执法事件不超过 {MaxEventSpan.TotalDays} 天"
                : place?.Length > 500 ? "place is at most 500 characters / 地点不超过 500 字"
                : externalId?.Length > 200 ? "externalId is at most 200 characters / 事件编号不超过 200 字"
                : null;
            if (wrong is not null)
            {
                lines.Add(new LineProblem(line, wrong));
                continue;
            }
            // Sent again (a retry, or the same event in two files): already here, nothing to do.
            if (externalId is not null && !known.Add(externalId))
            {
                duplicates++;
                continue;
            }
            fresh.Add(new EnforcementEvent
            {
                Id = Ids.New(), ExternalId = externalId, OfficerBadge = badge!, Start = start!.Value, End = end!.Value, Place = place,
                CaseNumber = number!.Trim(), ImportedAt = now,
            });
        }
        if (lines.Count > 0) return Problems.ImportRefused(lines);

        var links = 0;
        var buffer = options.Value.CaseLinkBuffer;
        foreach (var ev in fresh)
        {
            db.EnforcementEvents.Add(ev);
            db.LedgerPending.Add(LedgerLeaves.EnforcementEventImported(ev, user.Id, now));
            links += await CaseLinking.LinkEventAsync(db, ev, buffer, user.Id, now, ct);
        }
        await CasesApi.SaveKeepingRetentionAsync(db, fresh.Select(e => e.CaseNumber).Distinct().ToList(), now, ct);
        return TypedResults.Ok(new EventsImported(fresh.Count, duplicates, links));
    }
}
