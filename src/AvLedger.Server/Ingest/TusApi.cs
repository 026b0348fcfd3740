using System.Globalization;
using System.Security.Cryptography;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ingest;
using AvLedger.Core.Jobs;
using AvLedger.Core.Records;
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
        var uploads = app.MapGroup("/api/v1/uploads");
        uploads.AddEndpointFilter(async (ctx, next) =>
        {
            ctx.HttpContext.Response.Headers["Tus-Resumable"] = Version;
            ctx.HttpContext.Response.Headers.CacheControl = "no-store";
            var method = ctx.HttpContext.Request.Method;
            var isTusCall = !HttpMethods.IsOptions(method) && !(HttpMethods.IsGet(method));
            if (isTusCall && ctx.HttpContext.Request.Headers["Tus-Resumable"] != Version)
            {
                ctx.HttpContext.Response.Headers["Tus-Version"] = Version;
                return Problems.Of(412, "tus-version", "不支持的 tus 协议版本", "Unsupported tus version",
                    "请求须带 Tus-Resumable: 1.0.0。", "Send Tus-Resumable: 1.0.0.");
            }
            return await next(ctx);
        });
        uploads.MapMethods("/", ["OPTIONS"], Options).AllowAnonymous();
        uploads.MapPost("/", Create).RequireAuthorization(WebSignIn.UploaderPolicy);
        uploads.MapMethods("/{id}", ["HEAD"], Head).RequireAuthorization(WebSignIn.UploaderPolicy);
        uploads.MapPatch("/{id}", Patch).RequireAuthorization(WebSignIn.UploaderPolicy);
        uploads.MapDelete("/{id}", Terminate).RequireAuthorization(WebSignIn.UploaderPolicy);
        uploads.MapGet("/{id}", Status).RequireAuthorization(WebSignIn.UploaderPolicy);
        uploads.MapGet("/devices", DevicesAsync).RequireAuthorization(WebSignIn.UploaderPolicy);
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

    public sealed record DeviceChoice(string Code, string Kind);

    /// <summary>The devices the caller may name in an upload: a person's unit's, a station's any registered one.</summary>
    public static async Task<List<DeviceChoice>> DevicesForAsync(CurrentUser user, AvLedgerDb db, CancellationToken ct)
    {
        var unitId = user.Account.UnitId;
        var devices = db.Devices.AsNoTracking().Where(d => user.IsStation || (unitId != null && d.UnitId == unitId));
        return (await devices.OrderBy(d => d.Code).Take(1000).Select(d => new { d.Code, d.Kind }).ToListAsync(ct))
            .Select(d => new DeviceChoice(d.Code, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(d.Kind.ToString()))).ToList();
    }

    static async Task<IResult> DevicesAsync(CurrentUser user, AvLedgerDb db, CancellationToken ct) =>
        NotAnUploader(user) ?? (IResult)TypedResults.Ok(await DevicesForAsync(user, db, ct));

    /// <summary>Stations, device custodians and officers with a badge upload; nobody else.</summary>
    static ProblemHttpResult? NotAnUploader(CurrentUser user) =>
        user.IsStation || user.Account.Has(Role.DeviceCustodian) || (user.Account.Has(Role.Officer) && user.Account.Badge is not null) ? null
            : Problems.Of(403, "upload-not-permitted", "无权上传", "Not permitted to upload",
                "只有执法人员（本人警号）和设备管理员可以上传记录。", "Only officers (under their own badge) and device custodians upload records.");

    static ProblemHttpResult Bad(string code, string zh, string en) => Problems.Of(400, code, "上传请求无效", "Invalid upload request", zh, en);

    static async Task<Results<Created, ProblemHttpResult>> Create(
        HttpContext http, CurrentUser user, AvLedgerDb db, PartialUploads parts, IOptions<AvLedgerOptions> options, ActivityTypeCatalog activityTypes, TimeProvider clock, CancellationToken ct)
    {
        var limits = options.Value.Uploads;
        var headers = http.Request.Headers;
        if (headers.ContainsKey("Upload-Defer-Length"))
            return Bad("defer-length", "不支持延迟告知长度，请提供 Upload-Length。", "Deferred length is not supported; send Upload-Length.");
        var lengthText = headers["Upload-Length"].ToString();
        if (lengthText.Length == 0)
            return Bad("length-missing", "缺少 Upload-Length。", "Upload-Length is required.");
        if (!lengthText.All(char.IsAsciiDigit) || !long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            return Bad("length-invalid", $"Upload-Length 必须是非负整数，收到 “{Short(lengthText)}”。", $"Upload-Length must be a non-negative integer, got '{Short(lengthText)}'.");
        if (length == 0)
            return Bad("empty", "录像文件为空（0 字节），不予保存。", "The recording is empty (0 bytes); nothing to store.");
        if (length > limits.MaxSize)
            return Problems.Of(413, "too-large", "文件超过上传上限", "Upload too large",
                $"文件 {length} 字节，上限 {limits.MaxSize} 字节。", $"The file is {length} bytes; the limit is {limits.MaxSize} bytes.");
        if (!UploadMetadata.TryParse(headers["Upload-Metadata"], out var meta, out var metaError))
            return Bad("metadata-invalid", $"Upload-Metadata 格式错误：{metaError}。", $"Upload-Metadata is malformed: {metaError}.");
        if (!meta.TryGetValue("sha256", out var sha) || !UploadMetadata.Sha256Pattern().IsMatch(sha))
            return Bad("sha256-missing", "Upload-Metadata 须含整个文件的 sha256（64 位十六进制）。", "Upload-Metadata must carry sha256 of the whole file (64 hex digits).");
        var fileName = meta.GetValueOrDefault("filename") ?? meta.GetValueOrDefault("name") ?? "recording";
        if (UploadMetadata.FileNameProblem(fileName) is { } nameProblem)
            return Bad("filename-invalid", $"文件名无效：{nameProblem}。", $"Invalid filename: {nameProblem}.");
        if (NotAnUploader(user) is { } notPermitted) return notPermitted;
        // Art. 8 / R-8b: every upload names the registered device that recorded it, before any byte is taken.
        var device = meta.GetValueOrDefault("deviceCode");
        if (string.IsNullOrEmpty(device))
            return Problems.Of(422, "device-required", "未指明录制设备", "Device required",
                "上传须指明录制该文件的已登记设备（deviceCode）。", "An upload must name the registered device that recorded it (deviceCode).");
        var registered = await db.Devices.Where(d => d.Code == device).Select(d => new { d.TimeZone, d.UnitId }).SingleOrDefaultAsync(ct);
        if (registered is null)
            return Problems.Of(422, "device-unknown", "设备未登记", "Unknown device", $"设备 {Short(device)} 未在系统登记。", $"Device {Short(device)} is not registered.");
        // Until devices are assigned to people, a person's own upload names a recorder of their unit; a
        // station (the dock the recorder sits in) may name any registered device.
        if (!user.IsStation && registered.UnitId != user.Account.UnitId)
            return Problems.Of(422, "device-not-of-your-unit", "设备不属于本单位", "Device not of your unit",
                $"设备 {Short(device)} 不属于您所在单位，请选择本单位的执法记录仪。", $"Device {Short(device)} is not one of your unit's; name a recorder of your unit.");
        var zone = registered.TimeZone;
        var deviceUnitId = registered.UnitId;
        var badge = NullIfEmpty(meta.GetValueOrDefault("officerBadge"));
        // Ownership (Art. 17): a device custodian (collection station) uploads for any officer; an
        // officer only under their own badge. A badge nobody carries is kept and flagged unassigned.
        if (!user.IsStation && !user.Account.Has(Role.DeviceCustodian))
        {
            if (badge is not null && badge != user.Account.Badge)
                return Problems.Of(403, "badge-not-yours", "只能以本人警号上传", "Upload under your own badge only",
                    $"您的警号是 {user.Account.Badge}，不能以 {Short(badge)} 的名义上传；请由设备管理员或采集站上传。",
                    $"Your badge is {user.Account.Badge}; you cannot upload as {Short(badge)}. Ask a device custodian or a collection station.");
        }
        var recordedAt = meta.GetValueOrDefault("recordedAt");
        if (!string.IsNullOrEmpty(recordedAt) && RecordingTimes.ParseDeviceTime(recordedAt, RecordingTimes.FindZone(zone)) is null)
            return Bad("recorded-at-invalid", $"recordedAt 不是 RFC 3339 时间：“{Short(recordedAt)}”。", $"recordedAt is not an RFC 3339 time: '{Short(recordedAt)}'.");
        var activity = meta.GetValueOrDefault("activityType");
        if (!string.IsNullOrEmpty(activity) && !activityTypes.IsKnown(activity))
            return Bad("activity-type-invalid", $"未知的执法活动类型 “{Short(activity)}”。", $"Unknown activity type '{Short(activity)}'.");
        var sessionId = NullIfEmpty(meta.GetValueOrDefault("sessionId"));
        // A named session must be one the uploader may know of (a station or custodian may name any of its unit's)
        // and of the unit the record will belong to (its officer's, as IngestProcessor decides): sessions never span units.
        var officerBadge = badge ?? user.Account.Badge;
        if (sessionId is not null)
        {
            var recordUnitId = await db.Accounts.Where(a => officerBadge != null && a.Badge == officerBadge).Select(a => a.UnitId).SingleOrDefaultAsync(ct)
                ?? deviceUnitId ?? user.Account.UnitId;
            var inCharge = user.Scope.SessionsInCharge(db.Sessions);
            if (!await db.Sessions.AnyAsync(s => s.Id == sessionId && s.UnitId == recordUnitId
                    && (s.Officers.Any(o => db.Accounts.Any(a => a.Id == o.AccountId && a.Badge == officerBadge)) || inCharge.Any(x => x.Id == s.Id)), ct))
                return Problems.Of(422, "session-unknown", "执法过程不存在", "Unknown session", $"未找到执法过程 {Short(sessionId)}，或您无权向其添加记录。", $"Session {Short(sessionId)} does not exist or you may not add to it.");
        }

        var now = clock.GetUtcNow();
        // One uploader's quota is checked and taken under one lock, so parallel creations cannot all pass.
        using var quota = await parts.LockAsync("quota:" + user.Id, ct);
        if (await QuotaProblemAsync(db, user, length, limits, now, http, ct) is { } overQuota) return overQuota;
        var upload = new Upload
        {
            Id = Ids.New(),
            CreatedById = user.Id,
            CreatedAt = now,
            // Nothing sent yet: held only briefly, so declared-but-abandoned uploads do not pile up.
            ExpiresAt = now + (limits.EmptyExpiration < limits.Expiration ? limits.EmptyExpiration : limits.Expiration),
            Length = length,
            FileName = fileName,
            Sha256 = sha.ToLowerInvariant(),
            DeviceCode = device,
            OfficerBadge = badge ?? user.Account.Badge,
            RecordedAt = NullIfEmpty(recordedAt),
            ActivityType = NullIfEmpty(activity),
            SessionId = sessionId,
            State = UploadState.Receiving,
        };
        parts.Create(upload.Id);
        db.Uploads.Add(upload);
        await db.SaveChangesAsync(ct);
        http.Response.Headers["Upload-Expires"] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.Created($"/api/v1/uploads/{upload.Id}");
    }

    /// <summary>Bounds what one uploader can make the server hold: bytes declared by unfinished uploads,
    /// and uploads started per minute (a station docks many recorders, so it gets more of both).</summary>
    static async Task<ProblemHttpResult?> QuotaProblemAsync(AvLedgerDb db, CurrentUser user, long length, UploadOptions limits, DateTimeOffset now, HttpContext http, CancellationToken ct)
    {
        var (maxBytes, maxPerMinute) = user.IsStation
            ? (limits.UnfinishedBytesPerStation, limits.CreationsPerMinutePerStation)
            : (limits.UnfinishedBytesPerPerson, limits.CreationsPerMinutePerPerson);
        var minuteAgo = now.AddMinutes(-1);
        var started = await db.Uploads.CountAsync(u => u.CreatedById == user.Id && u.CreatedAt > minuteAgo, ct);
        if (started >= maxPerMinute)
        {
            http.Response.Headers.RetryAfter = "60";
            return Problems.Of(429, "too-many-uploads", "开始上传过于频繁", "Too many uploads started",
                $"每分钟最多开始 {maxPerMinute} 个上传，请稍后再试。", $"At most {maxPerMinute} uploads may be started per minute; try again shortly.");
        }
        var declared = await db.Uploads.Where(u => u.CreatedById == user.Id && u.State == UploadState.Receiving && u.ExpiresAt > now)
            .SumAsync(u => (long?)u.Length, ct) ?? 0;
        if (declared + length > maxBytes)
        {
            http.Response.Headers.RetryAfter = "300";
            return Problems.Of(429, "unfinished-uploads-quota", "未完成的上传过多", "Too much in unfinished uploads",
                $"您未完成的上传已声明 {declared} 字节，再加 {length} 字节将超过上限 {maxBytes} 字节；请先完成或终止已有上传。",
                $"Your unfinished uploads declare {declared} bytes; {length} more would pass the limit of {maxBytes} bytes. Finish or end the uploads you have first.");
        }
        return null;
    }

    static async Task<Upload?> FindOwnAsync(AvLedgerDb db, string id, CurrentUser user, CancellationToken ct) =>
        Ids.LooksValid(id) ? await db.Uploads.SingleOrDefaultAsync(u => u.Id == id && u.CreatedById == user.Id, ct) : null;

    static ProblemHttpResult Gone(Upload u) => Problems.Of(410, "upload-gone", "上传已失效", "Upload is gone",
        $"此上传已{(u.Error == Expired ? "过期" : "终止")}，请重新上传。", $"This upload {(u.Error == Expired ? "has expired" : "was ended")}; start a new one.");

    const string Expired = "expired";

    static bool IsGone(Upload u, DateTimeOffset now) =>
        u.State == UploadState.Rejected || (u.State == UploadState.Receiving && u.ExpiresAt <= now);

    static async Task<IResult> Head(string id, HttpContext http, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var upload = await FindOwnAsync(db, id, user, ct);
        if (upload is null) return Problems.NotFound();
        if (IsGone(upload, clock.GetUtcNow())) return Gone(upload);
        var h = http.Response.Headers;
        h["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        h["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        if (upload.State == UploadState.Receiving) h["Upload-Expires"] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.Ok();
    }

    static async Task<IResult> Patch(
        string id, HttpContext http, CurrentUser user, AvLedgerDb db, PartialUploads parts, IngestSignal signal,
        RecordVault vault, IOptions<AvLedgerOptions> options, TimeProvider clock, ILogger<Upload> log, CancellationToken ct)
    {
        var request = http.Request;
        if (!string.Equals(request.ContentType, "application/offset+octet-stream", StringComparison.OrdinalIgnoreCase))
            return Problems.Of(415, "content-type", "内容类型错误", "Wrong content type", "PATCH 须使用 Content-Type: application/offset+octet-stream。", "PATCH needs Content-Type: application/offset+octet-stream.");
        if (!long.TryParse(request.Headers["Upload-Offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            return Bad("offset-missing", "缺少或无效的 Upload-Offset。", "Upload-Offset is missing or invalid.");
        HashAlgorithmName? checksumAlgorithm = null;
        byte[]? checksumExpected = null;
        if (request.Headers["Upload-Checksum"].ToString() is { Length: > 0 } checksumHeader)
        {
            var parts2 = checksumHeader.Split(' ', 2);
            checksumAlgorithm = parts2[0] switch { "sha1" => HashAlgorithmName.SHA1, "sha256" => HashAlgorithmName.SHA256, _ => null };
            if (checksumAlgorithm is null)
                return Bad("checksum-algorithm", $"不支持的校验算法 “{Short(parts2[0])}”，支持 sha1、sha256。", $"Unsupported checksum algorithm '{Short(parts2[0])}'; use sha1 or sha256.");
            try { checksumExpected = Convert.FromBase64String(parts2.Length > 1 ? parts2[1] : ""); }
            catch (FormatException) { return Bad("checksum-invalid", "Upload-Checksum 的值不是 base64。", "The Upload-Checksum value is not base64."); }
        }

        using var _ = await parts.LockAsync(id, ct);
        var upload = await FindOwnAsync(db, id, user, ct);
        if (upload is null) return Problems.NotFound();
        var now = clock.GetUtcNow();
        if (IsGone(upload, now)) return Gone(upload);
        if (upload.State != UploadState.Receiving)
            return Problems.Of(409, "upload-complete", "上传已完成", "Upload already complete", "此上传的全部字节已收到，不能再写入。", "Every byte of this upload has arrived; it takes no more.");
        if (offset != upload.Offset)
        {
            http.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
            return Problems.Of(409, "offset-mismatch", "偏移量不一致", "Offset mismatch", $"服务器已有 {upload.Offset} 字节，请从该处续传。", $"The server holds {upload.Offset} bytes; resume from there.");
        }
        if (request.ContentLength is { } declared && offset + declared > upload.Length)
            return Problems.Of(413, "exceeds-length", "超出声明的文件长度", "Exceeds Upload-Length", "本次数据会超过 Upload-Length。", "This PATCH would go past Upload-Length.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature) sizeFeature.MaxRequestBodySize = null;

        var formats = options.Value.Uploads.AcceptedFormats;
        // A PATCH that brings the last byte is made durable by sealing, so its plaintext need not reach the disk.
        var lastPatch = request.ContentLength == upload.Length - offset;
        var receiveStarted = clock.GetTimestamp();
        var outcome = await ReceiveAsync(parts.PathOf(id), upload, offset, request.Body, checksumAlgorithm, checksumExpected, upload.Format is null, lastPatch);
        switch (outcome.Kind)
        {
            case ReceiveKind.TooLong:
                return Problems.Of(413, "exceeds-length", "超出声明的文件长度", "Exceeds Upload-Length", "收到的数据超过 Upload-Length，本次数据已丢弃。", "More bytes arrived than Upload-Length; this PATCH was discarded.");
            case ReceiveKind.ChecksumMismatch:
                return Problems.Of(ChecksumMismatch, "checksum-mismatch", "分块校验失败", "Checksum mismatch", "本次数据与 Upload-Checksum 不符，已丢弃，请重发。", "This PATCH does not match Upload-Checksum; it was discarded, send it again.");
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
                return Problems.Of(415, "not-media", "不是可接受的音视频格式", "Not an accepted media format",
                    format is null ? "文件内容不是执法记录仪所写的视频、音频或照片格式，未保存。" : $"格式 {format.Name} 未被配置为可接受，未保存。",
                    format is null ? "The content is not a video, audio or photo format that recorders write; nothing was stored." : $"Format {format.Name} is not configured as accepted; nothing was stored.");
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
                return Problems.Of(ChecksumMismatch, "sha256-mismatch", "整个文件的 sha256 不符", "Whole-file sha256 mismatch",
                    "收到的文件与 Upload-Metadata 中的 sha256 不一致，未保存。请核对文件后重新上传。",
                    "The file received does not match the sha256 in Upload-Metadata; nothing was stored. Check the file and upload it again.");
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

    static async Task<IResult> Terminate(string id, CurrentUser user, AvLedgerDb db, PartialUploads parts, CancellationToken ct)
    {
        using var _ = await parts.LockAsync(id, ct);
        var upload = await FindOwnAsync(db, id, user, ct);
        if (upload is null) return Problems.NotFound();
        if (upload.State is UploadState.Processing or UploadState.Stored)
            return Problems.Of(409, "upload-complete", "上传已完成，不能终止", "Upload complete; cannot terminate",
                "已收齐的上传不能终止；已保存的原始记录不能删除。", "A complete upload cannot be terminated; stored originals are never deleted.");
        if (upload.State == UploadState.Receiving)
        {
            upload.State = UploadState.Rejected;
            upload.Error = "terminated by the client";
            await db.SaveChangesAsync(CancellationToken.None);
        }
        parts.Delete(id);
        return TypedResults.NoContent();
    }

    public sealed record UploadStatus(string Id, string State, long Offset, long Length, string? RecordId, bool Duplicate, string? Error);

    static async Task<IResult> Status(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var upload = await FindOwnAsync(db, id, user, ct);
        if (upload is null) return Problems.NotFound();
        var state = upload.State;
        var error = upload.Error;
        if (state == UploadState.Receiving && upload.ExpiresAt <= clock.GetUtcNow()) (state, error) = (UploadState.Rejected, Expired);
        var recordId = upload.RecordId;
        if (recordId is not null && !await db.Records.VisibleTo(user, clock.GetUtcNow()).AnyAsync(r => r.Id == recordId, ct)) recordId = null;
        return TypedResults.Ok(new UploadStatus(upload.Id, state.ToString().ToLowerInvariant(), upload.Offset, upload.Length, recordId, upload.Duplicate, error));
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    static string Short(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
