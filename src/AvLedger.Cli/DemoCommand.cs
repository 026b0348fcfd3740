using System.Net.Http.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Media;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Core.Units;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AvLedger.Cli;

/// <summary>A server with a small enforcement corps in it, and recordings put in through the
/// same tus path a collection station uses.</summary>
static class DemoCommand
{
    const string SeedHeader = "X-AvLedger-Demo-Seed";
    static readonly string SeedKey = Guid.NewGuid().ToString("N");

    const string LoadingPage = """
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>演示数据准备中 · AvLedger</title></head>
        <body><h1>演示数据准备中，请稍候…</h1><p>正在生成演示录像、执法过程、案件与证据包，完成后本页自动进入登录页。</p>
        <p lang="en">The demo's data is being prepared; this page moves on to the sign-in page when it is ready.</p></body></html>
        """;

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Tokens = new();

    /// <summary>Each demo person signs in once while the data is loaded: sign-ins are limited per client and per
    /// account each minute, and the people trying the demo from this machine need that budget.</summary>
    static async Task<string> TokenAsync(HttpClient http, Uri server, string user, string password, CancellationToken ct)
    {
        if (Tokens.TryGetValue(user, out var token)) return token;
        token = await TusUploader.SignInAsync(http, server, user, password, ct);
        Tokens[user] = token;
        return token;
    }

    /// <summary>A client of the demo's own loading: it passes the loading page.</summary>
    static HttpClient SeedingClient(Uri? server)
    {
        var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add(SeedHeader, SeedKey);
        return client;
    }

    public static readonly IReadOnlyList<(string Device, string Badge)> Crews = [("DSJ-0001", "500101"), ("DSJ-0002", "500102"), ("DSJ-0003", "500201")];

    internal const string AdminPassword = "admin-demo-2026";

    static readonly (string Code, string Name, string ShortName, string? Parent)[] Units =
    [
        ("CQ-ZD", "重庆市交通运输综合行政执法总队", "渝交执法总队", null),
        ("CQ-ZD-1", "第一支队", "渝交执法一支队", "CQ-ZD"),
        ("CQ-ZD-2", "第二支队", "渝交执法二支队", "CQ-ZD"),
    ];

    internal static readonly (string User, string Password, Role Role, string Name, string? Badge, string Unit)[] People =
    [
        ("officer1", "officer-demo-1", Role.Officer, "张伟", "500101", "CQ-ZD-1"),
        ("officer2", "officer-demo-2", Role.Officer, "李娜", "500102", "CQ-ZD-1"),
        ("officer3", "officer-demo-3", Role.Officer, "王强", "500201", "CQ-ZD-2"),
        ("head1", "head-demo-2026", Role.DepartmentHead, "刘洋（部门负责人）", null, "CQ-ZD-1"),
        ("auditor1", "auditor-demo-2026", Role.Auditor, "陈静（审计员）", null, "CQ-ZD"),
        ("custodian1", "custodian-demo-2026", Role.DeviceCustodian, "赵敏（设备管理员）", null, "CQ-ZD-1"),
        ("inspector1", "inspector-demo-2026", Role.Inspector, "孙丽（督察）", null, "CQ-ZD"),
        ("legal1", "legal-demo-2026", Role.LegalOfficer, "周杰（法制审核）", null, "CQ-ZD-1"),
    ];

    static readonly (string Code, DeviceKind Kind, string Unit)[] DeviceList =
    [
        ("DSJ-0001", DeviceKind.BodyWornRecorder, "CQ-ZD-1"),
        ("DSJ-0002", DeviceKind.BodyWornRecorder, "CQ-ZD-1"),
        ("DSJ-0003", DeviceKind.BodyWornRecorder, "CQ-ZD-2"),
        ("CJZ-01", DeviceKind.CollectionStation, "CQ-ZD-1"),
        ("UAV-01", DeviceKind.Drone, "CQ-ZD-2"),
    ];

    public static async Task<int> RunAsync(string dataDir, string urls, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AVLEDGER_ADMIN_PASSWORD")))
            Environment.SetEnvironmentVariable("AVLEDGER_ADMIN_PASSWORD", AdminPassword);
        // One administrator seeds every role, so the demo runs under the single-administrator rule and says
        // so (console, /healthz, the administration page); each grant it makes is audited as made alone.
        // The demo prints its own progress: routine log lines and EF Core's notes on SQLite migrations would
        // bury it. Warnings and errors still show.
        await using var app = ServeCommand.Build(dataDir, urls, ["--AvLedger:SingleAdministrator", "true", "--AvLedger:Retention:PassInterval", "00:00:05",
            "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore", "Error"]);
        // The demo puts its recordings in through its own tus endpoint, so it listens while it loads. Until its
        // data is complete, everyone else gets a page saying so, not a half-filled product.
        var loading = true;
        app.Use(async (http, next) =>
        {
            if (Volatile.Read(ref loading) && http.Request.Headers[SeedHeader] != SeedKey)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "5";
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(LoadingPage, http.RequestAborted);
                return;
            }
            await next(http);
        });
        await app.StartAsync(ct);
        var url = urls.Split(';')[0].TrimEnd('/');
        Console.WriteLine($"AvLedger 演示正在准备数据，网页 {url} 在准备完成前显示“准备中” / preparing the demo at {url}…");

        bool seeded;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            seeded = await db.Units.AnyAsync(ct);
            if (!seeded)
                await SeedAsync(scope.ServiceProvider, db, ct);
        }
        string? firstOfOfficer1 = null;
        if (!seeded)
        {
            var samples = Path.Combine(Path.GetFullPath(dataDir), "samples");
            Console.WriteLine("正在生成 9 段演示录像 / making 9 demo recordings with ffmpeg…");
            var clips = await SampleClips.WriteManyAsync(samples, 8, 12, DateTimeOffset.Now, Crews,
                new Progress<int>(i => Console.Write($"\r  {i}/9")), ct);
            // One H.265 clip, as many recorders write: browsers play it through its web rendition.
            var (device, badge) = Crews[0];
            clips = [.. clips, await SampleClips.WriteAsync(samples, device, badge, DateTimeOffset.Now.AddMinutes(-3), 12, ct, hevc: true)];
            Console.WriteLine("\r  9/9");
            using var http = SeedingClient(null);
            foreach (var clip in clips)
            {
                var person = People.First(p => p.Badge == clip.OfficerBadge);
                var token = await TokenAsync(http, new Uri(url), person.User, person.Password, ct);
                var outcome = await new TusUploader(http, new Uri(url), token, TextWriter.Null)
                    .UploadAsync(clip.Path, new TusUploader.Metadata(clip.DeviceCode, clip.OfficerBadge, null, "onSitePenalty"), ct);
                Console.WriteLine($"  {Path.GetFileName(clip.Path)} → {(outcome.RecordId is null ? outcome.Error : "已保存 / stored")}");
                firstOfOfficer1 ??= clip.OfficerBadge == "500101" ? outcome.RecordId : null;
            }
            // Something for head1's inbox: an officer of the other branch asks to view one of 张伟's recordings.
            if (firstOfOfficer1 is not null)
            {
                var asker = People.First(p => p.User == "officer3");
                http.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync(http, new Uri(url), asker.User, asker.Password, ct));
                using var asked = await http.PostAsJsonAsync(new Uri(new Uri(url), "/api/v1/access-requests"),
                    new { kind = "view", reason = "联合执法复核，需查看第一支队当日现场录像", days = 3, recordIds = new[] { firstOfOfficer1 } }, ct);
                Console.WriteLine(asked.IsSuccessStatusCode ? "  officer3 已申请调阅一段录像，待 head1 审批 / officer3 asked to view a recording; head1 decides" : "  (demo access request failed)");
            }
            await SessionsDemoAsync(http, new Uri(url), samples, ct);
            await CasesAndRetentionDemoAsync(http, new Uri(url), samples, ct);
            await ExportsDemoAsync(http, new Uri(url), samples, ct);
        }

        Volatile.Write(ref loading, false);
        Console.WriteLine();
        Console.WriteLine($"AvLedger 演示已启动 / demo running at {url}");
        Console.WriteLine($"  网页 / web app: {url}/login");
        Console.WriteLine($"  接口文档 / API docs: {url}/docs");
        Console.WriteLine($"  OpenAPI: {url}/openapi/v1.json");
        Console.WriteLine("  演示账号 / logins:");
        Console.WriteLine($"    {"用户名",-12}{"密码",-22}{"角色",-10}{"姓名",-12}{"执法证号",-8}可见范围");
        Console.WriteLine($"    {"admin",-12}{Environment.GetEnvironmentVariable("AVLEDGER_ADMIN_PASSWORD"),-22}{RoleName(Role.SystemAdministrator),-10}{"",-12}{"",-8}{Sees(Role.SystemAdministrator)}");
        foreach (var p in People)
            Console.WriteLine($"    {p.User,-12}{p.Password,-22}{RoleName(p.Role),-10}{p.Name.Split('（')[0],-12}{p.Badge ?? "",-8}{Sees(p.Role)}");
        Console.WriteLine("  单一管理员模式：督察、负责人等角色由 admin 一人授予即生效（/healthz 与用户管理页均有提示）");
        Console.WriteLine("  single-administrator mode: admin alone granted the heads', inspectors' and auditors' roles (shown on /healthz and the users page)");
        Console.WriteLine("按 Ctrl+C 停止 / press Ctrl+C to stop");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    /// <summary>Sessions in each state: a joint session relayed across two recorders with an explained
    /// interruption and a key-content marker; an automatically grouped one with an unexplained gap and its
    /// activity type to be completed; a late save awaiting its reason; an activity not recorded, awaiting a head.</summary>
    static async Task<HttpClient> SignedInAsync(HttpClient http, Uri server, string user, CancellationToken ct)
    {
        var p = People.First(x => x.User == user);
        var client = SeedingClient(server);
        client.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync(http, server, p.User, p.Password, ct));
        return client;
    }

    static readonly string[] JointOfficers = ["500102"];

    static async Task SessionsDemoAsync(HttpClient http, Uri server, string samples, CancellationToken ct)
    {
        Console.WriteLine("正在生成执法过程演示数据 / making enforcement-session demo data…");
        Task<HttpClient> As(string user) => SignedInAsync(http, server, user, ct);
        async Task<string?> Upload(string user, string device, DateTimeOffset start, string? sessionId = null)
        {
            var p = People.First(x => x.User == user);
            var clip = await SampleClips.WriteAsync(samples, device, p.Badge!, start, 12, ct);
            var token = await TokenAsync(http, server, p.User, p.Password, ct);
            var outcome = await new TusUploader(http, server, token, TextWriter.Null).UploadAsync(clip.Path, new TusUploader.Metadata(device, p.Badge, null, null, sessionId), ct);
            Console.WriteLine($"  {Path.GetFileName(clip.Path)} → {(outcome.RecordId is null ? outcome.Error : "已保存 / stored")}");
            return outcome.RecordId;
        }
        async Task<string?> IdOf(HttpResponseMessage r) => r.IsSuccessStatusCode ? (await r.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("id").GetString() : null;

        var now = DateTimeOffset.Now;
        var t0 = now.AddHours(-3).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        using var officer1 = await As("officer1");
        using var created = await officer1.PostAsJsonAsync("/api/v1/sessions",
            new { activityType = "jointEnforcement", title = "联合治超检查", location = "G93 成渝环线高速 西彭收费站", officers = JointOfficers }, ct);
        var joint = await IdOf(created);
        var first = await Upload("officer1", "DSJ-0001", t0, joint);
        await Upload("officer2", "DSJ-0002", t0.AddSeconds(4), joint);
        var resumed = await Upload("officer1", "DSJ-0001", t0.AddMinutes(3), joint);
        if (joint is not null && resumed is not null)
        {
            var view = await officer1.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/sessions/{joint}", ct);
            foreach (var gap in view.GetProperty("gaps").EnumerateArray())
                (await officer1.PostAsJsonAsync($"/api/v1/sessions/{joint}/interruptions", new
                {
                    gapId = gap.GetProperty("id").GetString(), reason = "battery", explanationRecordId = resumed, explanationOffsetSeconds = 2,
                    reportedTo = "head1", documentNote = "执法记录仪电量耗尽，更换备用电池后继续录制，已在现场检查笔录中注明",
                }, ct)).Dispose();
        }
        if (first is not null)
            (await officer1.PostAsJsonAsync($"/api/v1/records/{first}/markers", new { offsetSeconds = 5, category = "documentsAndMeasures", note = "向当事人送达责令改正通知书" }, ct)).Dispose();

        // officer3: two recordings five minutes apart, grouped automatically; the gap and the activity type wait in the inbox.
        await Upload("officer3", "DSJ-0003", t0.AddMinutes(40));
        await Upload("officer3", "DSJ-0003", t0.AddMinutes(45));
        // officer2: a recording docked three days late.
        await Upload("officer2", "DSJ-0002", now.AddDays(-3).AddHours(-2));
        using var officer2 = await As("officer2");
        (await officer2.PostAsJsonAsync("/api/v1/no-recording-reports", new
        {
            activityType = "emergency", from = now.AddHours(-5), to = now.AddHours(-4.5), place = "朝天门码头", reason = "urgent",
            note = "突发客船滞留旅客疏散，来不及开启执法记录仪，已报告部门负责人并在笔录中注明",
        }, ct)).Dispose();
    }

    /// <summary>A case from the enforcement management system with an event that links the joint session's
    /// recordings automatically; a record kept as evidence; two recordings past their 180 days, one proposed
    /// for purge and one approved and in its recovery window; a legal hold.</summary>
    static async Task CasesAndRetentionDemoAsync(HttpClient http, Uri server, string samples, CancellationToken ct)
    {
        Console.WriteLine("正在生成案件与保存期限演示数据 / making case and retention demo data…");
        Task<HttpClient> As(string user) => SignedInAsync(http, server, user, ct);
        var now = DateTimeOffset.Now;
        using var legal = await As("legal1");
        var number = DemoCaseNumber;
        (await legal.PostAsJsonAsync("/api/v1/cases/import", new[]
        {
            new { number, title = "重庆某物流有限公司超限运输案", type = "行政处罚", unitCode = "CQ-ZD-1", plates = "渝A12345", parties = "重庆某物流有限公司" },
        }, ct)).Dispose();
        using var events = await legal.PostAsJsonAsync("/api/v1/enforcement-events/import", new[]
        {
            new { externalId = "ZF-20261127-0001", officerBadge = "500101", start = now.AddHours(-3).AddMinutes(-2), end = now.AddHours(-3).AddMinutes(6), place = "G93 成渝环线高速 西彭收费站", caseNumber = number },
        }, ct);
        Console.WriteLine(events.IsSuccessStatusCode ? $"  案件 {number} 已导入，执法过程录像已自动关联 / case imported, its recordings linked" : "  (demo case import failed)");

        using var officer2 = await As("officer2");
        var expired = new List<string>();
        foreach (var daysAgo in new[] { 200, 190 })
        {
            var clip = await SampleClips.WriteAsync(samples, "DSJ-0002", "500102", now.AddDays(-daysAgo), 12, ct);
            var token = await TokenAsync(http, server, "officer2", "officer-demo-2", ct);
            var outcome = await new TusUploader(http, server, token, TextWriter.Null).UploadAsync(clip.Path, new TusUploader.Metadata("DSJ-0002", "500102", null, "inspection"), ct);
            Console.WriteLine($"  {Path.GetFileName(clip.Path)} → {(outcome.RecordId is null ? outcome.Error : "已保存 / stored")}");
            if (outcome.RecordId is { } id) expired.Add(id);
        }
        // The server's own retention pass proposes them (the demo runs it every few seconds), as it would a real installation's.
        using var head = await As("head1");
        var proposals = await head.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/purge-proposals", ct);
        for (var deadline = DateTimeOffset.UtcNow.AddMinutes(1); proposals.GetArrayLength() < expired.Count && DateTimeOffset.UtcNow < deadline;)
        {
            await Task.Delay(500, ct);
            proposals = await head.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/purge-proposals", ct);
        }
        var second = proposals.EnumerateArray().FirstOrDefault(p => p.GetProperty("recordId").GetString() == expired.LastOrDefault());
        if (second.ValueKind == System.Text.Json.JsonValueKind.Object)
            (await head.PostAsJsonAsync($"/api/v1/purge-proposals/{second.GetProperty("id").GetString()}/approve",
                new { opinion = "已超过保存期限，且未涉及案件，同意销毁", password = "head-demo-2026" }, ct)).Dispose();
        Console.WriteLine($"  {proposals.GetArrayLength()} 条过期记录待审批销毁（一条已批准、处于恢复期）/ expired records proposed for purge (one approved, in its recovery window)");

        var list = await legal.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/records?officer=500101&pageSize=5", ct);
        if (list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).FirstOrDefault() is { } evidence)
        {
            (await legal.PostAsJsonAsync($"/api/v1/records/{evidence}/retention", new { categories = EvidenceCategory }, ct)).Dispose();
            (await legal.PostAsJsonAsync("/api/v1/legal-holds", new { recordId = evidence, reason = "行政复议期间保全证据" }, ct)).Dispose();
        }
    }

    const string DemoCaseNumber = "渝交执罚〔2026〕1024号";

    /// <summary>Evidence packages: legal1's internal export of the demo case, ready and downloaded once; and an
    /// external provision to the traffic police approved by head1, whose package (with watermarked viewing copies)
    /// was downloaded and whose signed receipt came back.</summary>
    static async Task ExportsDemoAsync(HttpClient http, Uri server, string samples, CancellationToken ct)
    {
        Console.WriteLine("正在生成证据包演示数据 / making evidence-package demo data…");
        using var legal = await SignedInAsync(http, server, "legal1", ct);
        using var head = await SignedInAsync(http, server, "head1", ct);
        if (await ExportAsync(legal, new { caseNumber = DemoCaseNumber, purpose = "案件移送法制审核" }, ct) is { } caseExport)
            await DownloadAsync(legal, caseExport, ct);

        var list = await legal.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/records?officer=500101&pageSize=5", ct);
        if (list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).Skip(1).FirstOrDefault() is not { } recordId) return;
        using var asked = await legal.PostAsJsonAsync("/api/v1/provisions", new
        {
            recipientOrganisation = "重庆市公安局交通管理局", recipientPerson = "李警官", purpose = "交通事故调查取证",
            legalBasis = "《中华人民共和国道路交通安全法》第七十二条", recordIds = new[] { recordId },
        }, ct);
        if (!asked.IsSuccessStatusCode) { Console.WriteLine("  (demo provision failed)"); return; }
        var provisionId = (await asked.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("id").GetString()!;
        (await head.PostAsJsonAsync($"/api/v1/provisions/{provisionId}/approve", new { opinion = "同意向交管部门提供", password = "head-demo-2026" }, ct)).Dispose();
        if (await ExportAsync(legal, new { recordIds = new[] { recordId }, purpose = "交通事故调查取证", provisionId, copies = true }, ct) is not { } provided) return;
        await DownloadAsync(legal, provided, ct);
        var scan = await SampleClips.WriteScanAsync(Path.Combine(samples, "receipt-scan.png"),
            ["证据包接收回执（演示）", $"证据包编号 {provided}", "接收单位 重庆市公安局交通管理局", "接收人 李警官（签名）", $"接收日期 {DateTimeOffset.Now.ToOffset(TimeSpan.FromHours(8)):yyyy年M月d日}"], ct);
        using var content = new StreamContent(File.OpenRead(scan));
        content.Headers.ContentType = new("image/png");
        using var receipt = await legal.PostAsync($"/api/v1/exports/{provided}/receipt?fileName=receipt-scan.png", content, ct);
        Console.WriteLine(receipt.IsSuccessStatusCode
            ? $"  对外提供 {provisionId} 的证据包已下载、回执已上传 / the provision's package was downloaded and its signed receipt attached"
            : "  (demo receipt upload failed)");
    }

    /// <summary>Asks for a package and waits until it is made; its id, or null when it failed.</summary>
    static async Task<string?> ExportAsync(HttpClient client, object body, CancellationToken ct)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/exports", body, ct);
        if (!created.IsSuccessStatusCode)
        {
            Console.WriteLine($"  (demo export refused: {await created.Content.ReadAsStringAsync(ct)})");
            return null;
        }
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("id").GetString()!;
        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var view = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/exports/{id}", ct);
            var state = view.GetProperty("state").GetString();
            Console.Write($"\r  证据包 {id}：{state} {view.GetProperty("progress").GetInt32()}%   ");
            if (state == "ready")
            {
                Console.WriteLine($"\r  证据包 {id} 已生成 / package ready, {view.GetProperty("size").GetInt64()} bytes");
                return id;
            }
            if (state == "failed") break;
            await Task.Delay(500, ct);
        }
        Console.WriteLine($"\r  (demo export {id} did not finish)");
        return null;
    }

    static async Task DownloadAsync(HttpClient client, string exportId, CancellationToken ct)
    {
        using var response = await client.GetAsync($"/api/v1/exports/{exportId}/download", HttpCompletionOption.ResponseHeadersRead, ct);
        await (await response.Content.ReadAsStreamAsync(ct)).CopyToAsync(Stream.Null, ct);
    }

    static readonly string[] EvidenceCategory = ["evidence"];

    static string RoleName(Role role) => role switch
    {
        Role.Officer => "执法人员",
        Role.DepartmentHead => "部门负责人",
        Role.Inspector => "督察人员",
        Role.LegalOfficer => "法制审核人员",
        Role.Auditor => "审计员",
        Role.DeviceCustodian => "设备管理员",
        Role.SystemAdministrator => "系统管理员",
        _ => role.ToString(),
    };

    static string Sees(Role role) => role switch
    {
        Role.SystemAdministrator => "单位、人员与设备，不含录像 / units, people, devices; no recordings",
        Role.Officer => "本人录像 / own recordings",
        Role.DepartmentHead => "本单位及下级录像、审批 / the unit's subtree, approvals",
        Role.Inspector => "全总队录像 / everything under the root unit",
        Role.LegalOfficer => "本单位录像、对外提供 / the unit's recordings, external provision",
        Role.Auditor => "元数据与审计，无内容 / metadata and audit, no content",
        Role.DeviceCustodian => "设备与未指派上传 / devices and unassigned uploads",
        _ => "",
    };

    /// <summary>The corps is made by the administrator through the same use cases as the administration pages,
    /// so the demo's data passes every check a real installation's would.</summary>
    static async Task SeedAsync(IServiceProvider services, AvLedgerDb db, CancellationToken ct)
    {
        var admin = new Scope(await db.Accounts.AsNoTracking().SingleAsync(a => a.Username == Bootstrap.AdminUsername, ct), DateTimeOffset.UtcNow);
        var tree = services.GetRequiredService<UnitTree>();
        foreach (var (code, name, shortName, parent) in Units)
            Seeded(await tree.AddAsync(admin, new UnitTree.NewUnit(code, name, parent, shortName), ct), code);
        var directory = services.GetRequiredService<AccountDirectory>();
        // Demo passwords are printed for everyone to use, so they are not forced to change; reaching roles follow
        // the same rule as the administration page (they wait for a second person unless one administrator is declared).
        foreach (var p in People)
            Seeded(await directory.SeedAsync(admin, new AccountDirectory.NewUser(p.User, p.Password, p.Badge, p.Name, p.Unit, [p.Role]), ct), p.User);
        var register = services.GetRequiredService<DeviceRegister>();
        foreach (var (code, kind, unit) in DeviceList)
            Seeded(await register.AddAsync(admin, new DeviceRegister.NewDevice(code, kind, unit, null), ct), code);
    }

    static void Seeded<T>(Outcome<T> outcome, string what)
    {
        if (outcome.Refusal is { } refused) throw new InvalidOperationException($"demo data {what} refused: {refused.Describe(Refusal.English)}");
    }
}
