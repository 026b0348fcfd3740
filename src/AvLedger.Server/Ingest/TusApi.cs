using System.Globalization;
using System.Security.Cryptography;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ingest;
using AvLedger.Core.Jobs;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Media;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using AvLedger.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Ingest;

/// <summary>tus 1.0.0 at /api/v1/uploads: core, creation, checksum (sha1, sha256), termination,
/// expiration. The whole-file sha256 from Upload-Metadata is checked when the last byte arrives.</summary>
public static class TusApi
{
    public const string Version = "1.0.0";
    public const string JobKind = "ingest";
    const int ChecksumMismatch = 460;

    public static RouteGroupBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        var uploads = app.MapGroup("/api/v1/uploads").WithParameter("id", "上传编号（创建时 Location 的末段）");
        uploads.AddEndpointFilter(async (ctx, next) =>
        {
            ctx.HttpContext.Response.Headers["Tus-Resumable"] = Version;
            ctx.HttpContext.Response.Headers.CacheControl = "no-store";
            var method = ctx.HttpContext.Request.Method;
            var isTusCall = !HttpMethods.IsOptions(method) && !(HttpMethods.IsGet(method));
            if (isTusCall && ctx.HttpContext.Request.Headers["Tus-Resumable"] != Version)
            {
                ctx.HttpContext.Response.Headers["Tus-Version"] = Version;
                return Problems.From(new Refusal(412, "tus-version"));
            }
            return await next(ctx);
        });
        uploads.MapMethods("/", ["OPTIONS"], Options).AllowAnonymous()
            .WithSummary("tus 服务能力（版本、扩展、最大长度）")
            .WithDescription("无须登录。响应头 Tus-Version、Tus-Extension、Tus-Max-Size、Tus-Checksum-Algorithm。");
        uploads.MapPost("/", Create).RequireAuthorization(WebSignIn.UploaderPolicy)
            .WithSummary("上传录像（tus 创建）")
            .WithDescription("tus 1.0.0 creation：声明文件长度和元数据，返回 201 与 Location（上传地址）及 Upload-Expires；之后以 PATCH 续传字节。整个文件的 sha256 在最后一个字节到达时核对。")
            .WithHeader("Tus-Resumable", "tus 协议版本，须为 1.0.0")
            .WithHeader("Upload-Length", "文件总字节数")
            .WithHeader("Upload-Metadata", "tus 元数据（键 + 空格 + Base64 值，逗号分隔）：sha256（整个文件，十六进制，必填）、filename、deviceCode（设备编号）、officerBadge（执法证号）、activityType、sessionId 等");
        uploads.MapMethods("/{id}", ["HEAD"], Head).RequireAuthorization(WebSignIn.UploaderPolicy)
            .WithSummary("查询上传偏移（tus HEAD）")
            .WithDescription("响应头 Upload-Offset（已收到的字节数）、Upload-Length，接收中的还有 Upload-Expires。")
            .WithHeader("Tus-Resumable", "tus 协议版本，须为 1.0.0");
        uploads.MapPatch("/{id}", Patch).RequireAuthorization(WebSignIn.UploaderPolicy)
            .WithSummary("续传录像字节（tus PATCH）")
            .WithDescription("请求正文为 application/offset+octet-stream，从 Upload-Offset 处接续；成功返回 204 和新的 Upload-Offset。最后一个字节到达后录像进入后台处理，进度见 GET。")
            .WithHeader("Tus-Resumable", "tus 协议版本，须为 1.0.0")
            .WithHeader("Upload-Offset", "本段起始偏移，须等于已收到的字节数")
            .WithHeader("Upload-Checksum", "可选：本段的校验，sha1 或 sha256 加空格和 Base64 值；不符时返回 460")
            .Produces(204);
        uploads.MapDelete("/{id}", Terminate).RequireAuthorization(WebSignIn.UploaderPolicy)
            .WithSummary("终止上传（tus 终止）")
            .WithDescription("删除尚未完成的上传及其已收到的字节；已完成的上传不能终止。")
            .WithHeader("Tus-Resumable", "tus 协议版本，须为 1.0.0")
            .Produces(204);
        uploads.MapGet("/{id}", Status).RequireAuthorization(WebSignIn.UploaderPolicy)
            .WithSummary("上传处理状态")
            .WithDescription("接收中、已完成、已入库（录像编号）或被拒绝（原因）。");
        uploads.MapGet("/devices", DevicesAsync).RequireAuthorization(WebSignIn.UploaderPolicy).WithSummary("本人上传时可选的设备");
        return uploads;
    }

    static NoContent Options(HttpContext http, IOptions<AvLedgerOptions> options)
    {
        var h = http.Response.Headers;
        h["Tus-Version"] = Version;
        h["Tus-Extension"] = "creation,checksum,termination,expiration";
        h["Tus-Max-Size"] = options.Value.Uploads.MaxSize.ToString(CultureInfo.InvariantCulture);
        h["Tus-Checksum-Algorithm"] = "sha1,sha256";
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<List<Uploads.DeviceChoice>>, ProblemHttpResult>> DevicesAsync(CurrentUser user, Uploads uploads, CancellationToken ct) =>
        (await uploads.DevicesAsync(user.Scope, ct)).AsOk();

    static ProblemHttpResult Bad(string code, params object[] args) => Problems.From(new Refusal(400, code, null, args) { TitleKey = "upload-invalid" });

    static async Task<Results<Created, ProblemHttpResult>> Create(
        HttpContext http, CurrentUser user, Uploads uploads, PartialUploads parts, CancellationToken ct)
    {
        var headers = http.Request.Headers;
        var request = new Uploads.NewUpload(headers["Upload-Length"].ToString(), headers.ContainsKey("Upload-Defer-Length"), headers["Upload-Metadata"]);
        // One uploader's quota is checked and taken under one lock, so parallel creations cannot all pass.
        using var quota = await parts.LockAsync("quota:" + user.Id, ct);
        var begun = await uploads.BeginAsync(user.Scope, request, parts.Create, ct);
        if (begun.Refusal is { } refused) return Problems.From(refused, http.Response);
        var upload = begun.Value!;
        http.Response.Headers["Upload-Expires"] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.Created($"/api/v1/uploads/{upload.Id}");
    }

    static async Task<IResult> Head(string id, HttpContext http, CurrentUser user, Uploads uploads, TimeProvider clock, CancellationToken ct)
    {
        var upload = await uploads.FindOwnAsync(user.Scope, id, ct);
        if (upload is null) return Problems.NotFound();
        if (Uploads.IsGone(upload, clock.GetUtcNow())) return Problems.From(Uploads.Gone(upload));
        var h = http.Response.Headers;
        h["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        h["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        if (upload.State == UploadState.Receiving) h["Upload-Expires"] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.Ok();
    }

    static async Task<IResult> Patch(
        string id, HttpContext http, CurrentUser user, AvLedgerDb db, Uploads uploads, PartialUploads parts, IngestSignal signal,
        RecordVault vault, IOptions<AvLedgerOptions> options, TimeProvider clock, ILogger<Upload> log, CancellationToken ct)
    {
        var request = http.Request;
        if (!string.Equals(request.ContentType, "application/offset+octet-stream", StringComparison.OrdinalIgnoreCase))
            return Problems.From(new Refusal(415, "content-type"));
        if (!long.TryParse(request.Headers["Upload-Offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            return Bad("offset-missing");
        HashAlgorithmName? checksumAlgorithm = null;
        byte[]? checksumExpected = null;
        if (request.Headers["Upload-Checksum"].ToString() is { Length: > 0 } checksumHeader)
        {
            var parts2 = checksumHeader.Split(' ', 2);
            checksumAlgorithm = parts2[0] switch { "sha1" => HashAlgorithmName.SHA1, "sha256" => HashAlgorithmName.SHA256, _ => null };
            if (checksumAlgorithm is null)
                return Bad("checksum-algorithm", Uploads.Clip(parts2[0]));
            try { checksumExpected = Convert.FromBase64String(parts2.Length > 1 ? parts2[1] : ""); }
            catch (FormatException) { return Bad("checksum-invalid"); }
        }

        using var _ = await parts.LockAsync(id, ct);
        var upload = await uploads.FindOwnAsync(user.Scope, id, ct);
        if (upload is null) return Problems.NotFound();
        var now = clock.GetUtcNow();
        if (Uploads.IsGone(upload, now)) return Problems.From(Uploads.Gone(upload));
        if (upload.State != UploadState.Receiving)
            return Problems.From(new Refusal(409, "upload-complete", "no-more"));
        if (offset != upload.Offset)
        {
            http.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
            return Problems.From(new Refusal(409, "offset-mismatch", null, upload.Offset));
        }
        if (request.ContentLength is { } declared && offset + declared > upload.Length)
            return Problems.From(new Refusal(413, "exceeds-length", "declared"));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature) sizeFeature.MaxRequestBodySize = null;

        var formats = options.Value.Uploads.AcceptedFormats;
        // A PATCH that brings the last byte is made durable by sealing, so its plaintext need not reach the disk.
        var lastPatch = request.ContentLength == upload.Length - offset;
        var receiveStarted = clock.GetTimestamp();
        var outcome = await ReceiveAsync(parts.PathOf(id), upload, offset, request.Body, checksumAlgorithm, checksumExpected, upload.Format is null, lastPatch);
        switch (outcome.Kind)
        {
            case ReceiveKind.TooLong:
                return Problems.From(new Refusal(413, "exceeds-length", "received"));
            case ReceiveKind.ChecksumMismatch:
                return Problems.From(new Refusal(ChecksumMismatch, "checksum-mismatch"));
            case ReceiveKind.DiskFull:
                log.LogError("Upload {UploadId}: the disk is full; the PATCH at offset {Offset} was discarded", id, offset);
                return DiskFull.Problem(http);
        }
        if (outcome.Format is not null || (upload.Format is null && outcome.NewOffset >= Math.Min(MediaSniffer.HeadLength, upload.Length)))
        {
            var format = outcome.Format;
            if (format is null || !formats.Contains(format.Name, StringComparer.OrdinalIgnoreCase))
            {
                upload.State = UploadState.Rejected;
                upload.Error = format is null ? "not a recognised recording format" : $"format {format.Name} is not accepted here";
                parts.Delete(id);
                await db.SaveChangesAsync(CancellationToken.None);
                log.LogInformation("Upload {UploadId} rejected: {Reason}", id, upload.Error);
                return Problems.From(format is null ? new Refusal(415, "not-media", "unknown") : new Refusal(415, "not-media", "not-accepted", format.Name));
            }
            upload.Format = format.Name;
        }

        var complete = outcome.NewOffset == upload.Length;
        if (complete)
        {
            // The last bytes are acknowledged only once the whole file's sha256 is verified and the
            // sealed original is durably stored: that is what savedAt means.
            var receiveTime = clock.GetElapsedTime(receiveStarted);
            var sealStarted = clock.GetTimestamp();
            StoreOutcome stored;
            try
            {
                await using var source = new FileStream(parts.PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
                stored = await vault.StoreOriginalAsync(upload.Sha256, source, upload.Length, CancellationToken.None);
            }
            catch (IOException e) when (DiskFull.Is(e))
            {
                // The vault left no partial blob; the last PATCH is dropped so the client sends it again.
                using (var part = new FileStream(parts.PathOf(id), FileMode.Open, FileAccess.Write)) part.SetLength(offset);
                log.LogError("Upload {UploadId}: the disk is full while sealing; the last PATCH was discarded", id);
                return DiskFull.Problem(http);
            }
            if (stored == StoreOutcome.HashMismatch)
            {
                upload.State = UploadState.Rejected;
                upload.Error = "sha256 mismatch: the bytes received do not hash to the sha256 given in Upload-Metadata";
                parts.Delete(id);
                await db.SaveChangesAsync(CancellationToken.None);
                log.LogInformation("Upload {UploadId} rejected: {Reason}", id, upload.Error);
                return Problems.From(new Refusal(ChecksumMismatch, "sha256-mismatch"));
            }
            parts.MarkSealedHere(id);
            log.LogInformation("Upload {UploadId}: last PATCH of {Bytes} bytes received in {ReceiveMs} ms, verified and sealed in {SealMs} ms",
                id, outcome.NewOffset - offset, (int)receiveTime.TotalMilliseconds, (int)clock.GetElapsedTime(sealStarted).TotalMilliseconds);
            upload.SealedAt = clock.GetUtcNow();
            upload.State = UploadState.Processing;
            upload.CompletedAt = now;
            db.Jobs.Add(new Job { Id = Ids.New(), Kind = JobKind, Subject = upload.Id, CreatedAt = now, NotBefore = now, Version = Guid.NewGuid() });
        }
        upload.Offset = outcome.NewOffset;
        upload.ExpiresAt = now + options.Value.Uploads.Expiration;
        // The offset is acknowledged only after the bytes were made durable and this row committed.
        await db.SaveChangesAsync(CancellationToken.None);
        if (complete) signal.Pulse();
        http.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        if (!complete) http.Response.Headers["Upload-Expires"] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    enum ReceiveKind { Ok, TooLong, ChecksumMismatch, DiskFull }

    sealed record ReceiveOutcome(ReceiveKind Kind, long NewOffset, MediaFormat? Format);

    static async Task<ReceiveOutcome> ReceiveAsync(string path, Upload upload, long start, Stream body,
        HashAlgorithmName? checksumAlgorithm, byte[]? checksumExpected, bool sniff, bool lastPatch)
    {
        using var checksum = checksumAlgorithm is { } alg ? IncrementalHash.CreateHash(alg) : null;
        var plain = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        await using var file = new WritebackStream(plain, startWriteback: !lastPatch);
        // Bytes past the acknowledged offset are from a write that was never acknowledged: drop them.
        file.SetLength(start);
        file.Position = start;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1024 * 1024);
        var position = start;
        var interrupted = false;
        try
        {
            while (true)
            {
                int read;
                // Fill the buffer before writing: fewer, larger writes.
                try { read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, CancellationToken.None); }
                catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
                {
                    interrupted = true;
                    break;
                }
                if (read == 0) break;
                if (position + read > upload.Length)
                {
                    file.SetLength(start);
                    return new ReceiveOutcome(ReceiveKind.TooLong, start, null);
                }
                try { file.Write(buffer.AsSpan(0, read)); }
                catch (IOException e) when (DiskFull.Is(e))
                {
                    // Nothing half-stored: the bytes of this PATCH are dropped and the space given back.
                    file.SetLength(start);
                    return new ReceiveOutcome(ReceiveKind.DiskFull, start, null);
                }
                checksum?.AppendData(buffer, 0, read);
                position += read;
                if (read < buffer.Length) break;
            }
            if (checksum is not null && (interrupted || !CryptographicOperations.FixedTimeEquals(checksum.GetHashAndReset(), checksumExpected)))
            {
                // tus checksum extension: a PATCH that fails (or cannot complete) its checksum is discarded whole.
                file.SetLength(start);
                return new ReceiveOutcome(ReceiveKind.ChecksumMismatch, start, null);
            }
            // A PATCH that completes the upload is made durable by sealing it (see Patch).
            try { if (position < upload.Length) file.FlushToDisk(); }
            catch (IOException e) when (DiskFull.Is(e))
            {
                file.SetLength(start);
                return new ReceiveOutcome(ReceiveKind.DiskFull, start, null);
            }
            MediaFormat? format = null;
            if (sniff && position >= Math.Min(MediaSniffer.HeadLength, upload.Length))
            {
                var head = new byte[(int)Math.Min(MediaSniffer.HeadLength, position)];
                RandomAccess.Read(file.File.SafeFileHandle, head, 0);
                format = MediaSniffer.Detect(head);
            }
            return new ReceiveOutcome(ReceiveKind.Ok, position, format);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static async Task<IResult> Terminate(string id, CurrentUser user, AvLedgerDb db, Uploads uploads, PartialUploads parts, CancellationToken ct)
    {
        using var _ = await parts.LockAsync(id, ct);
        var upload = await uploads.FindOwnAsync(user.Scope, id, ct);
        if (upload is null) return Problems.NotFound();
        if (upload.State is UploadState.Processing or UploadState.Stored)
            return Problems.From(new Refusal(409, "upload-complete", "kept") { TitleKey = "upload-complete.terminate" });
        if (upload.State == UploadState.Receiving)
        {
            upload.State = UploadState.Rejected;
            upload.Error = "terminated by the client";
            await db.SaveChangesAsync(CancellationToken.None);
        }
        parts.Delete(id);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<Uploads.UploadStatus>, ProblemHttpResult>> Status(string id, CurrentUser user, Uploads uploads, CancellationToken ct) =>
        (await uploads.StatusAsync(user.Scope, id, ct)).AsOk();

}
