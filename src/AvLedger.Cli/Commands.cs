using System.CommandLine;
using AvLedger.Core.Records;
using AvLedger.Media;
using AvLedger.Verify;

namespace AvLedger.Cli;

static class Commands
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    static Option<string> DataDir(string fallback) => new("--data-dir") { Description = "数据目录 / data directory (database, blobs, keys, partial uploads)", DefaultValueFactory = _ => fallback };
    static Option<string> Urls() => new("--urls") { Description = "监听地址 / listen URL(s)", DefaultValueFactory = _ => DefaultUrls };

    public static Command Serve()
    {
        var dataDir = DataDir("data");
        var urls = Urls();
        var command = new Command("serve", "启动服务（内嵌 SQLite 与本地存储）/ run the server on the embedded default") { dataDir, urls };
        command.SetAction((r, ct) => ServeCommand.RunAsync(r.GetValue(dataDir)!, r.GetValue(urls)!, r.UnmatchedTokens, ct));
        command.TreatUnmatchedTokensAsErrors = false;
        return command;
    }

    public static Command Demo()
    {
        var dataDir = DataDir("data/demo");
        var urls = Urls();
        var command = new Command("demo", "启动带演示数据的服务 / run the server with demo units, people, devices and recordings") { dataDir, urls };
        command.SetAction((r, ct) => DemoCommand.RunAsync(r.GetValue(dataDir)!, r.GetValue(urls)!, ct));
        return command;
    }

    public static Command Samples()
    {
        var dir = new Argument<string>("dir") { Description = "输出目录 / output directory" };
        var count = new Option<int>("--count") { Description = "片段数 / number of clips", DefaultValueFactory = _ => 3 };
        var seconds = new Option<int>("--seconds") { Description = "每段秒数 / seconds per clip", DefaultValueFactory = _ => 10 };
        var command = new Command("samples", "生成模拟执法记录仪视频 / write synthetic recorder clips (H.264/AAC MP4)") { dir, count, seconds };
        command.SetAction(async (r, ct) =>
        {
            var n = r.GetValue(count);
            var s = r.GetValue(seconds);
            if (n < 1 || s < 1 || s > 3600)
            {
                await Console.Error.WriteLineAsync("--count 至少为 1，--seconds 取 1–3600 / --count must be ≥ 1 and --seconds 1–3600");
                return 2;
            }
            var progress = new Progress<int>(i => Console.Error.WriteLine($"{i}/{n}"));
            var clips = await SampleClips.WriteManyAsync(r.GetValue(dir)!, n, s, DateTimeOffset.Now, DemoCommand.Crews, progress, ct);
            foreach (var clip in clips) Console.WriteLine(clip.Path);
            return 0;
        });
        return command;
    }

    public static Command Upload()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "录像文件 / recording files" };
        var server = new Option<string>("--server") { Required = true, Description = "服务地址 / server URL" };
        var user = new Option<string>("--user") { Required = true };
        var password = new Option<string>("--password") { Description = "密码（或环境变量 AVLEDGER_PASSWORD）/ password (or AVLEDGER_PASSWORD)" };
        var device = new Option<string?>("--device") { Description = "录制设备的编号（必填，须已登记）/ code of the registered device that recorded the files (required)" };
        var officer = new Option<string?>("--officer") { Description = "执法证号 / officer badge" };
        var recordedAt = new Option<string?>("--recorded-at") { Description = "录制开始时间 ISO 8601，仅作说明：以文件自身时间为准 / claimed recording start; the file's own time wins" };
        var activity = new Option<string?>("--activity-type") { Description = "执法活动类型 / activity type: " + string.Join(", ", ActivityTypes.All.Keys) };
        var command = new Command("upload", "断点续传上传录像 / resumable upload; prints one record id per file") { files, server, user, password, device, officer, recordedAt, activity };
        command.SetAction((r, ct) => UploadCommand.RunAsync(r.GetValue(files)!, r.GetValue(server)!, r.GetValue(user)!,
            r.GetValue(password) ?? Environment.GetEnvironmentVariable("AVLEDGER_PASSWORD"),
            new TusUploader.Metadata(r.GetValue(device), r.GetValue(officer), r.GetValue(recordedAt), r.GetValue(activity)), ct));
        return command;
    }

    public static Command VerifyLog()
    {
        var server = new Option<string>("--server") { Required = true, Description = "服务地址 / server URL" };
        var user = new Option<string?>("--user") { Description = "审计员账号 / an auditor's account" };
        var password = new Option<string?>("--password") { Description = "密码（或 AVLEDGER_PASSWORD）/ password (or AVLEDGER_PASSWORD)" };
        var trusted = new Option<string?>("--trusted-checkpoint") { Description = "此前保存的检查点文件 / a checkpoint saved earlier" };
        var key = new Option<string?>("--key") { Description = "预先保存的验证公钥 name+hash+base64 / the verifier key you hold (else the server's)" };
        var command = new Command("verify-log", "独立核验账本 / recompute the ledger, check signatures, records, audit events and consistency; exit 0 only when all holds") { server, user, password, trusted, key };
        command.SetAction((r, ct) => VerifyLogCommand.RunAsync(r.GetValue(server)!, r.GetValue(user),
            r.GetValue(password) ?? Environment.GetEnvironmentVariable("AVLEDGER_PASSWORD"), r.GetValue(trusted), Console.Out, ct, r.GetValue(key)?.Trim()));
        return command;
    }

    public static Command Checkpoint()
    {
        var server = new Option<string>("--server") { Required = true, Description = "服务地址 / server URL" };
        var user = new Option<string?>("--user") { Description = "账号 / account" };
        var password = new Option<string?>("--password") { Description = "密码（或 AVLEDGER_PASSWORD）/ password (or AVLEDGER_PASSWORD)" };
        var command = new Command("checkpoint", "打印最新签名检查点，供上级单位或审计员保存 / print the latest signed checkpoint to keep") { server, user, password };
        command.SetAction(async (r, ct) =>
        {
            var baseUri = new Uri(r.GetValue(server)!);
            using var http = new HttpClient { BaseAddress = baseUri };
            var pw = r.GetValue(password) ?? Environment.GetEnvironmentVariable("AVLEDGER_PASSWORD");
            if (r.GetValue(user) is not { } u || pw is null)
            {
                await Console.Error.WriteLineAsync("需要 --user 与 --password / --user and --password are required");
                return 2;
            }
            http.DefaultRequestHeaders.Authorization = new("Bearer", await TusUploader.SignInAsync(http, baseUri, u, pw, ct));
            Console.Write(await http.GetStringAsync("/api/v1/ledger/checkpoint", ct));
            return 0;
        });
        return command;
    }

    public static Command Scrub()
    {
        var dataDir = DataDir("data");
        var command = new Command("scrub", "逐一校验已存原始文件 / re-read every stored original and check it; non-zero exit on damage") { dataDir };
        command.SetAction((r, ct) => ScrubCommand.RunAsync(r.GetValue(dataDir)!, ct));
        return command;
    }

    public static Command Verify()
    {
        var package = new Argument<string>("package") { Description = "证据包 ZIP（或解压后的文件夹）/ the evidence package ZIP (or its unzipped folder)" };
        var trustedKey = new Option<string?>("--trusted-key") { Description = "发证机关公布的验证公钥 name+hash+base64，或存有它的文件 / the verifier key the agency publishes, or a file holding it" };
        var command = new Command("verify", "离线核验证据包：哈希、账本证明、检查点签名、条目清单；全部通过才返回 0 / verify an evidence package offline; exit 0 only when all holds\n"
            + VerifyPackageCommand.ExitCodes) { package, trustedKey };
        command.SetAction((r, ct) => VerifyPackageCommand.RunAsync(r.GetValue(package)!, r.GetValue(trustedKey), Console.Out, ct));
        return command;
    }
}
