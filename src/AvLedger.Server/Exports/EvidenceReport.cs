using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AvLedger.Core.Exports;
using AvLedger.Ledger;

namespace AvLedger.Server.Exports;

/// <summary>The human parts of an evidence package: the evidence list (电子数据证据清单) in HTML and
/// PDF, README.txt, the receipt form, and the offline verifier page. They are sealed in the manifest, so
/// they are made before the seal and hold nothing it decides (its ledger index, the checkpoint, the
/// manifest's own hash): the verifier shows those.</summary>
public static class EvidenceReport
{
    static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    static string Size(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    static string? S(JsonNode? n) => n?.GetValue<string>();

    /// <summary>A time as a Chinese document writes it, in Beijing time: 2026年11月27日 10:00:00.</summary>
    static string When(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? Core.Records.RecordingTimes.ToChina(t).ToString("yyyy年M月d日 HH:mm:ss", CultureInfo.InvariantCulture)
            : iso ?? "—";

    static string ActivityName(string? code) =>
        code is null ? "待补充" : Core.Records.ActivityTypes.All.TryGetValue(code, out var name) ? name : code;

    const string Style = """
        <style>
        body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","Source Han Serif SC","SimSun",serif;font-size:10.5pt;margin:18mm 14mm;color:#000}
        h1{text-align:center;font-size:18pt;margin:0 0 4mm}
        h2{font-size:12.5pt;margin:6mm 0 2mm;border-bottom:1px solid #000}
        table{border-collapse:collapse;width:100%;margin:2mm 0}
        th,td{border:1px solid #000;padding:1.2mm 1.5mm;vertical-align:top;text-align:left}
        th{background:#eee;white-space:nowrap}
        .hash{font-family:"Noto Sans Mono CJK SC",monospace;font-size:8.5pt;word-break:break-all}
        .meta td:first-child{width:28%;background:#f6f6f6}
        .sign{margin-top:10mm;display:flex;justify-content:space-between}
        </style>
        """;

    public static string Html(EvidenceExport export, JsonObject manifest, PackageBuilder.People people, Dictionary<string, List<PackageBuilder.Custody>> custody)
    {
        var b = new StringBuilder();
        b.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>电子数据证据清单 ").Append(E(export.Id)).Append("</title>").Append(Style).Append("</head><body>");
        b.Append("<h1>电子数据证据清单</h1>");
        b.Append("<table class=\"meta\">");
        void Meta(string k, string? v) => b.Append("<tr><td>").Append(k).Append("</td><td>").Append(E(v)).Append("</td></tr>");
        Meta("证据包编号", export.Id);
        Meta("生成时间", When(S(manifest["createdAt"])));
        Meta("用途", export.Purpose);
        Meta("提取人", $"{people.RequesterName}（执法证号 {people.RequesterBadge ?? "—"}，{people.RequesterUnit ?? "—"}）");
        if (people.Recipient is { } r)
        {
            Meta("审批人及文号", $"{people.ApproverName ?? "—"}　{people.ApprovalNumber ?? ""}");
            Meta("接收单位", r.RecipientOrganisation);
            Meta("接收人", r.RecipientPerson);
            Meta("法律依据", r.LegalBasis);
        }
        else Meta("提取方式", "法制员在职责范围内的内部证据提取");
        Meta("文件数量", manifest["records"]!.AsArray().Count.ToString(CultureInfo.InvariantCulture));
        b.Append("</table>");

        b.Append("<h2>一、电子数据文件及哈希值</h2><table><tr><th>序号</th><th>包内路径 / 原文件名</th><th>大小（字节）</th><th>SHA-256 哈希值</th></tr>");
        var n = 0;
        foreach (var rec in manifest["records"]!.AsArray())
        {
            n++;
            b.Append("<tr><td>").Append(n).Append("</td><td>").Append(E(S(rec!["path"]))).Append("<br>").Append(E(S(rec["fileName"])))
                .Append("</td><td>").Append(Size(rec["size"]!.GetValue<long>())).Append("</td><td class=\"hash\">").Append(E(S(rec["sha256"]))).Append("</td></tr>");
        }
        b.Append("</table>");

        b.Append("<h2>二、采集情况</h2><table><tr><th>序号</th><th>执法记录仪编号</th><th>执法证号</th><th>录制开始</th><th>录制结束</th><th>存储时间</th><th>执法类型</th><th>案件编号</th><th>账本序号</th></tr>");
        n = 0;
        foreach (var rec in manifest["records"]!.AsArray())
        {
            n++;
            var cases = string.Join("、", rec!["caseNumbers"]!.AsArray().Select(c => c!.GetValue<string>()));
            b.Append("<tr><td>").Append(n).Append("</td><td>").Append(E(S(rec["deviceCode"]))).Append("</td><td>").Append(E(S(rec["officerBadge"])))
                .Append("</td><td>").Append(E(When(S(rec["recordedStart"])))).Append("</td><td>").Append(E(When(S(rec["recordedEnd"]))))
                .Append("</td><td>").Append(E(When(S(rec["savedAt"])))).Append("</td><td>").Append(E(ActivityName(S(rec["activityType"]))))
                .Append("</td><td>").Append(E(cases.Length == 0 ? "—" : cases)).Append("</td><td>").Append(rec["ledgerIndex"]).Append("</td></tr>");
        }
        b.Append("</table>");

        b.Append("<h2>三、保管链（自入库至本次提取）</h2>");
        n = 0;
        foreach (var rec in manifest["records"]!.AsArray())
        {
            n++;
            var id = S(rec!["id"])!;
            b.Append("<p>").Append(n).Append(". ").Append(E(S(rec["path"]))).Append("</p><table><tr><th>时间</th><th>事项</th><th>操作人</th><th>账本序号</th></tr>");
            foreach (var c in custody[id])
                b.Append("<tr><td>").Append(E(When(c.At))).Append("</td><td>").Append(E(Core.Audit.EventNames.Of(c.Kind))).Append("</td><td>")
                    .Append(E(c.ActorName)).Append("</td><td>").Append(c.LeafIndex).Append("</td></tr>");
            b.Append("</table>");
        }

        b.Append("<h2>四、验证方法</h2>");
        b.Append("<p><b>第一步：取得并固定发证机关的验证公钥。</b>证据包内的 <code>ledger/key.txt</code> 只是“自称”的签名公钥，伪造者可以用同名的公钥签出自洽的证据包，")
            .Append("因此必须通过证据包以外的渠道（发证机关的公函、公告或电话核实）取得其公布的验证公钥（形如 <code>名称+哈希+base64</code>）或公钥指纹，并在核验时使用。</p><ol>");
        b.Append("<li>在不联网的计算机上用浏览器打开证据包内 <code>verify/verify.html</code>，在“验证公钥”一栏填入发证机关公布的公钥，选择本证据包 ZIP 文件：结论为“通过”即完整、未被篡改且由发证机关签名；")
            .Append("未填公钥时结论为“签名者未核对”，此时须将页面显示的公钥指纹与发证机关公布的指纹逐字比对。</li>");
        b.Append("<li>或运行 <code>avledger verify 证据包.zip --trusted-key 公钥或公钥文件</code>（命令行校验程序）：退出码 0 并显示“通过 / PASSED”；")
            .Append("1 为未通过，3 为签名者未核对（未给出 --trusted-key），均不能视为通过。</li>");
        b.Append("<li>或手工核对：解压后对 <code>originals/</code> 下每个文件计算 SHA-256（Linux：<code>sha256sum 文件</code>；Windows：<code>certutil -hashfile 文件 SHA256</code>），与上表哈希值逐一比对。")
            .Append("手工核对不能证明清单本身已封存，也不能发现多出的文件。</li>");
        b.Append("</ol><p>本清单所列文件及保管事项均已写入防篡改账本。<code>manifest.json</code> 记载证据包内每个文件（含本清单、其 PDF、说明、回执单和核验页面）的 SHA-256，")
            .Append("其自身的 SHA-256 记载于账本的证据包封存记录（export.sealed）中；核验程序显示该记录的账本序号及签名检查点（<code>ledger/checkpoint.txt</code>）。")
            .Append("证据包只应含有清单所列文件及 <code>ledger/</code> 下的证明，多出或改名的文件一律视为未通过。</p>");
        b.Append("<div class=\"sign\"><span>提取人（签名）：</span><span>审核人（签名）：</span><span>日期：</span></div>");
        b.Append("</body></html>");
        return b.ToString();
    }

    public static string Readme(EvidenceExport export, int records) => $"""
        执法音像记录证据包 / Evidence package
        ======================================

        证据包编号 Package id: {export.Id}
        格式 Format: {PackageBuilder.Format}（formatVersion {PackageBuilder.FormatVersion}）
        文件数 Records: {records}

        本证据包包含执法音像记录原始文件（originals/，逐位与系统存储一致）、清单 manifest.json、
        账本证明（ledger/）、电子数据证据清单（report/report.html、report/report.pdf）、
        回执单（receipt/receipt.html）和离线校验页面（verify/verify.html）。

        manifest.json 记载包内其他每个文件（含本说明、证据清单、回执单、核验页面）的 SHA-256，其自身的 SHA-256
        记载于账本的 export.sealed 记录中；包内只应有这些文件及 ledger/ 下的证明。

        先取得并固定发证机关的验证公钥：ledger/key.txt 只是自称的公钥，伪造者可用同名公钥签出自洽的证据包。
        请通过证据包以外的渠道（发证机关的公函、公告或电话）取得其公布的验证公钥（名称+哈希+base64）或公钥指纹。

        验证方法（任选其一，均无需联网）：
        1. 用浏览器打开 verify/verify.html，填入发证机关公布的公钥，选择本 ZIP 文件：结论“通过”即完整、未篡改、
           由发证机关签名；未填公钥时结论为“签名者未核对”，须将显示的指纹与发证机关公布的指纹比对。
        2. 运行 avledger verify 本文件.zip --trusted-key 公钥或公钥文件：退出码 0 为通过；1 未通过；
           3 为签名者未核对（未给出 --trusted-key），不能视为通过。
        3. 手工：对 originals/ 下每个文件计算 SHA-256（Linux: sha256sum 文件；Windows: certutil -hashfile 文件 SHA256），
           与 manifest.json 及证据清单中的哈希值比对（不能证明清单已封存，也发现不了多出的文件）。

        This package holds the original enforcement audio/video records (originals/, bit-exact), the
        manifest (manifest.json), ledger proofs (ledger/: checkpoint.txt signed with the key in key.txt,
        proofs.json with an inclusion proof for every leaf the manifest names, including the
        export.sealed leaf that commits to SHA-256(manifest.json)), the evidence list in Chinese
        (report/), a receipt form (receipt/) and an offline verifier page (verify/). The manifest holds
        the SHA-256 of every other file, this README included; nothing else belongs in the package.

        First obtain and pin the agency's key: ledger/key.txt is only the key the package claims, and a
        forger can sign a consistent package with a key of the same name. Get the agency's published
        verifier key (name+hash+base64) or its fingerprint through a channel other than this package
        (its letter, notice, or a phone call).

        To verify (no network needed), any of:
        1. open verify/verify.html in a browser, enter the agency's key, and choose this ZIP file
           (without a key the verdict is "signer not checked": compare the fingerprint shown);
        2. run `avledger verify THIS.zip --trusted-key KEY-or-KEYFILE`: exit 0 passed, 1 failed,
           3 signer not checked (no --trusted-key given) — only 0 is a pass;
        3. by hand: compute SHA-256 of each file under originals/ (sha256sum, or certutil -hashfile FILE SHA256)
           and compare with manifest.json and the evidence list (this proves neither the seal nor that
           nothing was added).

        Copies under copies/, if any, are watermarked viewing copies: derivatives, not records.
        """.Replace("\n", "\r\n", StringComparison.Ordinal);

    public static string Receipt(EvidenceExport export, JsonObject manifest, PackageBuilder.People people)
    {
        var b = new StringBuilder();
        b.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>证据包接收回执</title>").Append(Style).Append("</head><body>");
        b.Append("<h1>执法音像记录证据包接收回执</h1><table class=\"meta\">");
        void Meta(string k, string? v) => b.Append("<tr><td>").Append(k).Append("</td><td>").Append(E(v)).Append("</td></tr>");
        Meta("证据包编号", export.Id);
        // The receipt is sealed in the manifest, so it cannot hold the manifest's hash: the recipient copies it from the verifier.
        Meta("manifest.json SHA-256（接收人从核验结果抄录）", "");
        Meta("提供单位 / 提取人", $"{people.RequesterUnit ?? "—"} / {people.RequesterName}");
        Meta("审批文号", people.ApprovalNumber ?? "—");
        Meta("接收单位", people.Recipient?.RecipientOrganisation ?? "");
        Meta("接收人", people.Recipient?.RecipientPerson ?? "");
        Meta("用途", export.Purpose);
        b.Append("</table><h2>所含文件</h2><table><tr><th>序号</th><th>文件</th><th>SHA-256</th></tr>");
        var n = 0;
        foreach (var rec in manifest["records"]!.AsArray())
            b.Append("<tr><td>").Append(++n).Append("</td><td>").Append(E(S(rec!["path"]))).Append("</td><td class=\"hash\">").Append(E(S(rec["sha256"]))).Append("</td></tr>");
        b.Append("</table><p>本单位已收到上述证据包，经校验文件完整，承诺仅用于上述用途，依法保管，不擅自复制、传播。</p>");
        b.Append("<div class=\"sign\"><span>接收人（签名）：</span><span>接收单位（盖章）：</span><span>接收日期：　　年　　月　　日</span></div>");
        b.Append("<p style=\"margin-top:8mm;font-size:9pt\">请签名盖章后扫描或拍照，交回提供单位上传系统附于对外提供审批。</p></body></html>");
        return b.ToString();
    }

    /// <summary>The offline verifier page (written to the package format by the verifier's author) if
    /// it is built in; else a page saying it is missing and how to verify by other means.</summary>
    public static string Verifier()
    {
        var assembly = typeof(EvidenceReport).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("verify.html", StringComparison.Ordinal));
        if (name is not null)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        return """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>校验程序缺失 / Verifier missing</title></head><body>
            <h1>离线校验页面未随本版本提供</h1>
            <p>请使用命令行校验程序 <code>avledger verify 证据包.zip</code>，或按 README.txt 手工核对 SHA-256。</p>
            <p lang="en">The offline verifier page is not part of this build. Use <code>avledger verify PACKAGE.zip</code>, or check SHA-256 by hand as README.txt describes.</p>
            </body></html>
            """;
    }
}
