namespace AvLedger.Cli;

static class UploadCommand
{
    public static async Task<int> RunAsync(string[] files, string server, string user, string? password, TusUploader.Metadata meta, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync("需要 --password 或 AVLEDGER_PASSWORD / --password or AVLEDGER_PASSWORD is required");
            return 2;
        }
        // Art. 8: every upload names the registered device that recorded it; say so before signing in.
        if (string.IsNullOrWhiteSpace(meta.DeviceCode))
        {
            await Console.Error.WriteLineAsync("需要 --device：录制这些文件的已登记设备编号 / --device is required: the code of the registered device that recorded the files");
            return 2;
        }
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"--server 不是有效的 http(s) 地址 / --server is not an http(s) URL: {server}");
            return 2;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        ApiSignIn signIn;
        try
        {
            signIn = await ApiSignIn.StartAsync(http, baseUri, user, password, ct);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"登录失败 / sign-in failed: {e.Message}");
            return 1;
        }
        var uploader = new TusUploader(http, baseUri, signIn, Console.Error);
        var failures = 0;
        foreach (var file in files)
        {
            try
            {
                var outcome = await uploader.UploadAsync(file, meta, ct);
                if (outcome.RecordId is not null)
                {
                    Console.WriteLine(outcome.RecordId);
                    if (outcome.Duplicate) await Console.Error.WriteLineAsync($"{Path.GetFileName(file)}: 与已存记录相同 / identical to stored record {outcome.RecordId}");
                }
                else
                {
                    failures++;
                    await Console.Error.WriteLineAsync($"{Path.GetFileName(file)}: 未保存 / not stored: {outcome.Error}");
                }
            }
            catch (Exception e) when (e is UploadFailedException or IOException or HttpRequestException)
            {
                failures++;
                await Console.Error.WriteLineAsync($"{Path.GetFileName(file)}: 上传失败 / upload failed: {e.Message}");
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
