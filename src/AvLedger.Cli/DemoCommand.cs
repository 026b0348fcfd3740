using System.Net.Http.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Media;
using AvLedger.Server.Accounts;
using AvLedger.Server.Devices;
using AvLedger.Server.Units;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AvLedger.Cli;

/// <summary>A server with a small enforcement corps in it, and recordings put in through the
/// same tus path a collection station uses.</summary>
static class DemoCommand
{
    public static readonly IReadOnlyList<(string Device, string Badge)> Crews = [("DSJ-0001", "500101"), ("DSJ-0002", "500102"), ("DSJ-0003", "500201")];

    const string AdminPassword = "admin-demo-2026";

    static readonly (string Code, string Name, string? Parent)[] Units =
    [
        ("CQ-ZD", "重庆市交通运输综合行政执法总队", null),
        ("CQ-ZD-1", "第一支队", "CQ-ZD"),
        ("CQ-ZD-2", "第二支队", "CQ-ZD"),
    ];

    static readonly (string User, string Password, Role Role, string Name, string? Badge, string Unit)[] People =
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
        await using var app = ServeCommand.Build(dataDir, urls);
        await app.StartAsync(ct);
        var url = urls.Split(';')[0].TrimEnd('/');

        bool seeded;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            seeded = await db.Units.AnyAsync(ct);
            if (!seeded) await SeedAsync(db, scope.ServiceProvider.GetRequiredService<IPasswordHasher<Account>>(), ct);
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
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            foreach (var clip in clips)
            {
                var person = People.First(p => p.Badge == clip.OfficerBadge);
                var token = await TusUploader.SignInAsync(http, new Uri(url), person.User, person.Password, ct);
                var outcome = await new TusUploader(http, new Uri(url), token, TextWriter.Null)
                    .UploadAsync(clip.Path, new TusUploader.Metadata(clip.DeviceCode, clip.OfficerBadge, null, "onSitePenalty"), ct);
                Console.WriteLine($"  {Path.GetFileName(clip.Path)} → {outcome.RecordId ?? outcome.Error}");
                firstOfOfficer1 ??= clip.OfficerBadge == "500101" ? outcome.RecordId : null;
            }
            // Something for head1's inbox: an officer of the other branch asks to view one of 张伟's recordings.
            if (firstOfOfficer1 is not null)
            {
                var asker = People.First(p => p.User == "officer3");
                http.DefaultRequestHeaders.Authorization = new("Bearer", await TusUploader.SignInAsync(http, new Uri(url), asker.User, asker.Password, ct));
                using var asked = await http.PostAsJsonAsync(new Uri(new Uri(url), "/api/v1/access-requests"),
                    new { kind = "view", reason = "联合执法复核，需查看第一支队当日现场录像", days = 3, recordIds = new[] { firstOfOfficer1 } }, ct);
                Console.WriteLine(asked.IsSuccessStatusCode ? "  officer3 已申请调阅一段录像，待 head1 审批 / officer3 asked to view a recording; head1 decides" : "  (demo access request failed)");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"AvLedger 演示已启动 / demo running at {url}");
        Console.WriteLine($"  网页 / web app: {url}/login");
        Console.WriteLine($"  API 文档 / OpenAPI: {url}/openapi/v1.json");
        Console.WriteLine("  登录 / logins (username / password):");
        Console.WriteLine($"    admin / {Environment.GetEnvironmentVariable("AVLEDGER_ADMIN_PASSWORD")}   系统管理员 administrator");
        foreach (var p in People) Console.WriteLine($"    {p.User} / {p.Password}   {p.Name} {p.Role} {p.Badge}  — {Sees(p.Role)}");
        Console.WriteLine("按 Ctrl+C 停止 / press Ctrl+C to stop");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    static string Sees(Role role) => role switch
    {
        Role.Officer => "本人录像 / own recordings",
        Role.DepartmentHead => "本单位及下级录像、审批 / the unit's subtree, approvals",
        Role.Inspector => "全总队录像 / everything under the root unit",
        Role.LegalOfficer => "本单位录像、对外提供 / the unit's recordings, external provision",
        Role.Auditor => "元数据与审计，无内容 / metadata and audit, no content",
        Role.DeviceCustodian => "设备与未指派上传 / devices and unassigned uploads",
        _ => "",
    };

    static async Task SeedAsync(AvLedgerDb db, IPasswordHasher<Account> hasher, CancellationToken ct)
    {
        foreach (var (code, name, parent) in Units)
            await UnitsApi.AddAsync(db, new UnitsApi.NewUnit(code, name, parent), ct);
        foreach (var p in People)
        {
            // Demo passwords are printed for everyone to use, so they are not forced to change.
            var (account, problem) = await UsersApi.NewAccountAsync(db, hasher, new UsersApi.NewUser(p.User, p.Password, p.Badge, p.Name, p.Unit, [p.Role]), DateTimeOffset.UtcNow, ct);
            if (problem is not null) throw new InvalidOperationException($"demo account {p.User} is invalid");
            db.Accounts.Add(account!);
        }
        await db.SaveChangesAsync(ct);
        foreach (var (code, kind, unit) in DeviceList)
            await DevicesApi.AddAsync(db, new DevicesApi.NewDevice(code, kind, unit, null), ct);
    }
}
