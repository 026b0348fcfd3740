using System.Globalization;
using System.Text;
using AvLedger.Core.Audit;
using AvLedger.Server.Shell;

namespace AvLedger.Server.Audit;

/// <summary>The audit search as a CSV file for Excel: UTF-8 with a byte order mark (without one Excel reads Chinese as
/// mojibake), a Chinese header, RFC 4180 quoting, written row by row as the rows are read.</summary>
public static class AuditCsv
{
    public static readonly string[] Header = ["时间", "人员", "执法证号", "事项", "录像", "录像设备", "录制时间", "涉及人员", "详情", "账本叶子", "事件编号", "事项代码"];

    public static async Task WriteAsync(Stream stream, IAsyncEnumerable<AuditTrail.SearchRow> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024);
        await writer.WriteAsync(Line(Header));
        var count = 0;
        await foreach (var r in rows.WithCancellation(ct))
        {
            await writer.WriteAsync(Line(
                AuditLabels.Time(r.At), r.ActorName ?? "", r.ActorBadge ?? "", r.ActionName, AuditLabels.Record(r) ?? "", r.RecordDevice ?? "",
                r.RecordedStart is { } recorded ? AuditLabels.Time(recorded) : "", r.SubjectName ?? "", r.Detail ?? "",
                r.LeafIndex?.ToString(CultureInfo.InvariantCulture) ?? "尚未入账", r.Id, r.Action));
            if (++count % 500 == 0) await writer.FlushAsync(ct);
        }
        if (count >= AuditTrail.MaxExportRows)
            await writer.WriteAsync(Line($"已达导出上限 {AuditTrail.MaxExportRows} 行，更早的事件未导出；请缩小日期范围后分次导出。"));
    }

    static string Line(params string[] fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    static string Field(string value)
    {
        // A cell starting with = + - @ would run as a formula in Excel; a leading apostrophe keeps it text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

/// <summary>How an audit row names its time and its record for people: Beijing time in Chinese, and the record by its
/// file name (or recorder and recorded time), not its id.</summary>
public static class AuditLabels
{
    public const string ChineseTime = "yyyy年M月d日 HH:mm:ss";

    public static string Time(DateTimeOffset t) => Format.ChinaTime(t, ChineseTime);

    public static string? Record(AuditTrail.SearchRow r) =>
        r.RecordId is null ? null
        : !string.IsNullOrEmpty(r.RecordFileName) ? r.RecordFileName
        : r.RecordedStart is { } start ? $"{r.RecordDevice ?? "未知设备"} {Time(start)}"
        : "（录像信息不可用）";
}
