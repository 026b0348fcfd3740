using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Ingest;

/// <summary>Who may upload, what an upload must say about itself before any byte is taken, how much one
/// uploader may have under way, and what an upload's status shows. The tus protocol itself (headers,
/// offsets, the bytes) is the server's.</summary>
public sealed class Uploads(AvLedgerDb db, ActivityTypeCatalog activityTypes, Uploads.Limits limits, TimeProvider clock)
{
    /// <summary>The configured bounds (AvLedgerOptions.Uploads).</summary>
    public sealed record Limits(
        long MaxSize, TimeSpan Expiration, TimeSpan EmptyExpiration,
        long UnfinishedBytesPerPerson, long UnfinishedBytesPerStation,
        int CreationsPerMinutePerPerson, int CreationsPerMinutePerStation);

    /// <summary>What a tus creation request says: Upload-Length as sent, Upload-Metadata as sent.</summary>
    public sealed record NewUpload(string? Length, bool DeferLength, string? Metadata);

    public sealed record DeviceChoice(string Code, string Kind);

    public sealed record UploadStatus(string Id, string State, long Offset, long Length, string? RecordId, bool Duplicate, string? Error);

    /// <summary>Why an upload stopped taking bytes, as <see cref="Upload.Error"/> records an expiry.</summary>
    public const string Expired = "expired";

    /// <summary>Stations, device custodians and officers with a badge upload; nobody else.</summary>
    public static Refusal? MayUpload(Scope actor) =>
        actor.IsStation || actor.Person.Has(Role.DeviceCustodian) || (actor.Person.Has(Role.Officer) && actor.Person.Badge is not null) ? null
            : new Refusal(403, "upload-not-permitted");

    static Refusal Invalid(string code, params object[] args) => new(400, code, null, args) { TitleKey = "upload-invalid" };

    /// <summary>The devices an uploader may name (the API's list).</summary>
    public async Task<Outcome<List<DeviceChoice>>> DevicesAsync(Scope actor, CancellationToken ct)
    {
        if (MayUpload(actor) is { } refused) return refused;
        return await DeviceChoicesAsync(actor, ct);
    }

    /// <summary>The devices the actor may name in an upload (<see cref="Scope.DevicesToName"/>), as the upload page offers them.</summary>
    public async Task<List<DeviceChoice>> DeviceChoicesAsync(Scope actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return (await actor.DevicesToName(db.Devices.AsNoTracking()).OrderBy(d => d.Code).Take(1000).Select(d => new { d.Code, d.Kind }).ToListAsync(ct))
            .Select(d => new DeviceChoice(d.Code, JsonNamingPolicy.CamelCase.ConvertName(d.Kind.ToString()))).ToList();
    }

    /// <summary>The header values of a creation request, checked in the order a client learns most from.</summary>
    public static Outcome<long> CheckLength(NewUpload request, long maxSize)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.DeferLength) return Invalid("defer-length");
        var text = request.Length ?? "";
        if (text.Length == 0) return Invalid("length-missing");
        if (!text.All(char.IsAsciiDigit) || !long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
            return Invalid("length-invalid", Clip(text));
        if (length == 0) return Invalid("empty");
        if (length > maxSize) return new Refusal(413, "too-large", "upload-max", length, maxSize) { TitleKey = "too-large.upload" };
        return length;
    }

    /// <summary>The metadata every upload carries: its whole-file sha256 and a file name fit to show.</summary>
    public static Outcome<Dictionary<string, string>> CheckMetadata(string? header)
    {
        if (!UploadMetadata.TryParse(header, out var meta, out var error)) return Invalid("metadata-invalid", error);
        if (!meta.TryGetValue("sha256", out var sha) || !UploadMetadata.Sha256Pattern().IsMatch(sha)) return Invalid("sha256-missing");
        if (UploadMetadata.FileNameProblem(FileName(meta)) is { } nameProblem) return Invalid("filename-invalid", nameProblem);
        return meta;
    }

    static string FileName(Dictionary<string, string> meta) => meta.GetValueOrDefault("filename") ?? meta.GetValueOrDefault("name") ?? "recording";

    /// <summary>Starts an upload: checks the request, the uploader and what they name, and the uploader's
    /// quota, then stores the new upload. <paramref name="prepare"/> makes room for its bytes before it is
    /// saved. The caller holds the uploader's quota lock, so parallel creations cannot all pass.</summary>
    public async Task<Outcome<Upload>> BeginAsync(Scope actor, NewUpload request, Action<string> prepare, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(prepare);
        var checkedLength = CheckLength(request, limits.MaxSize);
        if (checkedLength.Refusal is { } badLength) return badLength;
        var length = checkedLength.Value;
        var checkedMeta = CheckMetadata(request.Metadata);
        if (checkedMeta.Refusal is { } badMeta) return badMeta;
        var meta = checkedMeta.Value!;
        if (MayUpload(actor) is { } notPermitted) return notPermitted;
        var person = actor.Person;
        // Art. 8 / R-8b: every upload names the registered device that recorded it, before any byte is taken.
        var device = meta.GetValueOrDefault("deviceCode");
        if (string.IsNullOrEmpty(device)) return new Refusal(422, "device-required");
        var registered = await db.Devices.Where(d => d.Code == device).Select(d => new { d.TimeZone, d.UnitId }).SingleOrDefaultAsync(ct);
        if (registered is null) return new Refusal(422, "device-unknown", null, Clip(device));
        if (!await actor.DevicesToName(db.Devices).AnyAsync(d => d.Code == device, ct))
            return new Refusal(422, "device-not-of-your-unit", null, Clip(device));
        var badge = NullIfEmpty(meta.GetValueOrDefault("officerBadge"));
        // Ownership (Art. 17): a device custodian (collection station) uploads for any officer; an
        // officer only under their own badge. A badge nobody carries is kept and flagged unassigned.
        if (!actor.IsStation && !person.Has(Role.DeviceCustodian) && badge is not null && badge != person.Badge)
            return new Refusal(403, "badge-not-yours", null, person.Badge!, Clip(badge));
        var recordedAt = meta.GetValueOrDefault("recordedAt");
        if (!string.IsNullOrEmpty(recordedAt) && RecordingTimes.ParseDeviceTime(recordedAt, RecordingTimes.FindZone(registered.TimeZone)) is null)
            return Invalid("recorded-at-invalid", Clip(recordedAt));
        var activity = meta.GetValueOrDefault("activityType");
        if (!string.IsNullOrEmpty(activity) && !activityTypes.IsKnown(activity))
            return Invalid("activity-type-invalid", Clip(activity));
        var sessionId = NullIfEmpty(meta.GetValueOrDefault("sessionId"));
        var officerBadge = badge ?? person.Badge;
        if (sessionId is not null && !await MayAddToSessionAsync(actor, sessionId, officerBadge, registered.UnitId, ct))
            return new Refusal(422, "session-unknown", null, Clip(sessionId));

        var now = clock.GetUtcNow();
        if (await QuotaRefusalAsync(actor, length, now, ct) is { } overQuota) return overQuota;
        var upload = new Upload
        {
            Id = Ids.New(),
            CreatedById = actor.Id,
            CreatedAt = now,
            // Nothing sent yet: held only briefly, so declared-but-abandoned uploads do not pile up.
            ExpiresAt = now + (limits.EmptyExpiration < limits.Expiration ? limits.EmptyExpiration : limits.Expiration),
            Length = length,
            FileName = FileName(meta),
            Sha256 = meta["sha256"].ToLowerInvariant(),
            DeviceCode = device,
            OfficerBadge = officerBadge,
            RecordedAt = NullIfEmpty(recordedAt),
            ActivityType = NullIfEmpty(activity),
            SessionId = sessionId,
            State = UploadState.Receiving,
        };
        prepare(upload.Id);
        db.Uploads.Add(upload);
        await db.SaveChangesAsync(ct);
        return upload;
    }

    /// <summary>A named session must be one the uploader may know of (a station or custodian may name any of its
    /// unit's) and of the unit the record will belong to (its officer's, as IngestProcessor decides): sessions never span units.</summary>
    async Task<bool> MayAddToSessionAsync(Scope actor, string sessionId, string? officerBadge, string? deviceUnitId, CancellationToken ct)
    {
        var recordUnitId = await db.Accounts.Where(a => officerBadge != null && a.Badge == officerBadge).Select(a => a.UnitId).SingleOrDefaultAsync(ct)
            ?? deviceUnitId ?? actor.Person.UnitId;
        var inCharge = actor.SessionsInCharge(db.Sessions);
        return await db.Sessions.AnyAsync(s => s.Id == sessionId && s.UnitId == recordUnitId
            && (s.Officers.Any(o => db.Accounts.Any(a => a.Id == o.AccountId && a.Badge == officerBadge)) || inCharge.Any(x => x.Id == s.Id)), ct);
    }

    /// <summary>Bounds what one uploader can make the server hold: bytes declared by unfinished uploads,
    /// and uploads started per minute (a station docks many recorders, so it gets more of both).</summary>
    async Task<Refusal?> QuotaRefusalAsync(Scope actor, long length, DateTimeOffset now, CancellationToken ct)
    {
        var (maxBytes, maxPerMinute) = actor.IsStation
            ? (limits.UnfinishedBytesPerStation, limits.CreationsPerMinutePerStation)
            : (limits.UnfinishedBytesPerPerson, limits.CreationsPerMinutePerPerson);
        var id = actor.Id;
        var minuteAgo = now.AddMinutes(-1);
        var started = await db.Uploads.CountAsync(u => u.CreatedById == id && u.CreatedAt > minuteAgo, ct);
        if (started >= maxPerMinute)
            return new Refusal(429, "too-many-uploads", null, maxPerMinute) { RetryAfter = TimeSpan.FromSeconds(60) };
        var declared = await db.Uploads.Where(u => u.CreatedById == id && u.State == UploadState.Receiving && u.ExpiresAt > now)
            .SumAsync(u => (long?)u.Length, ct) ?? 0;
        if (declared + length > maxBytes)
            return new Refusal(429, "unfinished-uploads-quota", null, declared, length, maxBytes) { RetryAfter = TimeSpan.FromSeconds(300) };
        return null;
    }

    /// <summary>Only its uploader reaches an upload; anyone else is told it does not exist.</summary>
    public async Task<Upload?> FindOwnAsync(Scope actor, string id, CancellationToken ct)
    {
        var me = actor.Id;
        return Ids.LooksValid(id) ? await db.Uploads.SingleOrDefaultAsync(u => u.Id == id && u.CreatedById == me, ct) : null;
    }

    /// <summary>An upload that takes no more bytes: rejected (ended, refused) or left unfinished past its expiry.</summary>
    public static bool IsGone(Upload upload, DateTimeOffset now) => upload.State == UploadState.Rejected || IsExpired(upload, now);

    static bool IsExpired(Upload upload, DateTimeOffset now) => upload.State == UploadState.Receiving && upload.ExpiresAt <= now;

    public static Refusal Gone(Upload upload) => new(410, "upload-gone", upload.Error == Expired ? "expired" : "ended");

    /// <summary>Its uploader sees an upload's state; the record it became is named only if they may see that record.</summary>
    public async Task<Outcome<UploadStatus>> StatusAsync(Scope actor, string id, CancellationToken ct)
    {
        var upload = await FindOwnAsync(actor, id, ct);
        if (upload is null) return Refusal.NotFound;
        var now = clock.GetUtcNow();
        var (state, error) = IsExpired(upload, now) ? (UploadState.Rejected, Expired) : (upload.State, upload.Error);
        var recordId = upload.RecordId;
        if (recordId is not null && !await actor.Records(db.Records).AnyAsync(r => r.Id == recordId, ct)) recordId = null;
        return new UploadStatus(upload.Id, state.ToString().ToLowerInvariant(), upload.Offset, upload.Length, recordId, upload.Duplicate, error);
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>A value echoed in a refusal, cut so a hostile header cannot fill the answer.</summary>
    public static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
