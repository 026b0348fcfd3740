using AvLedger.Core;
using AvLedger.Core.Audit;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Ingest;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Sessions;
using AvLedger.Media;
using AvLedger.Server.Records;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Ingest;

/// <summary>Turns an upload whose original is already verified and sealed (by its last PATCH) into
/// a stored record: probe, thumbnail, describe, and the record's ledger leaf. Safe to repeat after
/// a crash.</summary>
public sealed class IngestProcessor(AvLedgerDb db, RecordVault vault, PartialUploads parts, RenditionSignal renditions, IOptions<AvLedgerOptions> options, ILogger<IngestProcessor> log)
{
    public const string ChannelTus = "tus";

    public async Task ProcessAsync(string uploadId, CancellationToken ct)
    {
        var upload = await db.Uploads.SingleOrDefaultAsync(u => u.Id == uploadId, ct);
        if (upload is not { State: UploadState.Processing }) return;
        var format = MediaFormat.ByName(upload.Format ?? "") ?? throw new InvalidOperationException($"upload {upload.Id} has no sniffed format");
        var savedAt = upload.SealedAt ?? throw new InvalidOperationException($"upload {upload.Id} is processing but was never sealed");

        var existing = await db.Records.Where(r => r.Sha256 == upload.Sha256).Select(r => r.Id).SingleOrDefaultAsync(ct);
        if (existing is not null)
        {
            MarkDuplicate(upload, existing);
            await db.SaveChangesAsync(ct);
            parts.Delete(upload.Id);
            return;
        }

        var (info, thumbnail) = await DescribeMediaAsync(upload, format, ct);
        if (thumbnail is not null) await vault.StoreDerivativeAsync(RecordVault.ThumbnailKey(upload.Sha256), thumbnail, ct);
        var record = await DescribeAsync(upload, format, info, thumbnail is not null, savedAt, ct);
        record.Rendition = WebPlayback.InitialState(record);
        db.Records.Add(record);
        if (record.Rendition == RenditionState.Pending) db.Jobs.Add(RenditionWorker.NewJob(record.Id, savedAt));
        upload.State = UploadState.Stored;
        upload.RecordId = record.Id;
        var stored = new AuditEvent
        {
            Id = Ids.New(),
            At = savedAt,
            LastAt = savedAt,
            ActorId = upload.CreatedById,
            Action = AuditActions.RecordStored,
            RecordId = record.Id,
            Requests = 1,
        };
        db.LedgerPending.Add(LedgerLeaves.RecordStored(record, savedAt, stored.Id));
        await SessionGrouping.AssignAsync(db, record, upload.SessionId, options.Value.Sessions.GroupingWindow, savedAt, ct);
        var caseLinks = await CaseLinking.LinkNewRecordAsync(db, record, options.Value.CaseLinkBuffer, savedAt, ct);
        db.AuditEvents.Add(stored);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node stored the same bytes between our check and our insert.
            db.ChangeTracker.Clear();
            var raced = await db.Records.AsNoTracking().Where(r => r.Sha256 == upload.Sha256).Select(r => r.Id).SingleOrDefaultAsync(ct);
            if (raced is null) throw;
            db.Update(upload);
            MarkDuplicate(upload, raced);
            await db.SaveChangesAsync(ct);
        }
        if (caseLinks > 0 && upload.RecordId == record.Id)
        {
            // Art. 13: a record that arrives linked to a case is kept as long as the case needs it.
            await Core.Retention.RetentionRules.RecomputeAsync(db, [record.Id], savedAt, ct);
            await db.SaveChangesAsync(ct);
        }
        parts.Delete(upload.Id);
        if (record.Rendition == RenditionState.Pending) renditions.Pulse();
        log.LogInformation("Upload {UploadId} stored as record {RecordId} ({Bytes} bytes)", upload.Id, upload.RecordId, upload.Length);
    }

    /// <summary>Probes and thumbnails the plaintext in a private folder of this job's own: the
    /// partial file moved there when this process sealed it (so it is whole in the page cache), else
    /// a copy decrypted from the sealed original. The folder goes with the run.</summary>
    async Task<(MediaInfo? Info, byte[]? Thumbnail)> DescribeMediaAsync(Upload upload, MediaFormat format, CancellationToken ct)
    {
        using var work = options.Value.NewJobDir("ingest");
        var path = work.File("original");
        var part = parts.PathOf(upload.Id);
        if (parts.WasSealedHere(upload.Id) && File.Exists(part) && new FileInfo(part).Length == upload.Length)
        {
            File.Move(part, path);
        }
        else
        {
            await using var original = await vault.OpenAsync(RecordVault.OriginalKey(upload.Sha256), ct)
                ?? throw new InvalidOperationException($"upload {upload.Id}: sealed original is missing");
            await using var copy = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            await original.CopyToAsync(copy, 1024 * 1024, ct);
        }
        MediaInfo? info = null;
        try
        {
            info = await MediaProbe.ProbeAsync(path, format, ct);
        }
        catch (MediaProbeException e)
        {
            // A recording cut short by a dead battery may not probe; it is still an original to keep.
            log.LogWarning("Upload {UploadId}: ffprobe could not read the file ({Reason}); storing without media metadata", upload.Id, e.Message);
        }
        return (info, await Thumbnails.MakeAsync(path, format, info?.DurationSeconds, ct));
    }

    static void MarkDuplicate(Upload upload, string recordId)
    {
        upload.State = UploadState.Stored;
        upload.Duplicate = true;
        upload.RecordId = recordId;
    }

    async Task<Record> DescribeAsync(Upload upload, MediaFormat format, MediaInfo? info, bool hasThumbnail, DateTimeOffset savedAt, CancellationToken ct)
    {
        var device = upload.DeviceCode is null ? null : await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Code == upload.DeviceCode, ct);
        var officer = upload.OfficerBadge is null ? null : await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Badge == upload.OfficerBadge, ct);
        // The record belongs to its officer's unit at recording time; an unknown badge waits, unassigned,
        // with the uploading device's unit (else the uploader's).
        var unitId = officer?.UnitId ?? device?.UnitId ?? await db.Accounts.Where(a => a.Id == upload.CreatedById).Select(a => a.UnitId).SingleOrDefaultAsync(ct);
        var unitPath = unitId is null ? null : await db.Units.Where(u => u.Id == unitId).Select(u => u.Path).SingleOrDefaultAsync(ct);
        var zone = RecordingTimes.FindZone(device?.TimeZone ?? Core.Devices.Device.DefaultTimeZone);

        // The media's own time decides; what the uploader typed or put in the file name is kept beside it.
        var decided = RecordingTimes.Decide(info?.CreationTime, RecordingTimes.ParseDeviceTime(upload.RecordedAt, zone),
            RecordingTimes.FromFileName(upload.FileName, zone), options.Value.RecordedTimeTolerance, upload.CreatedAt);
        var start = decided.Start;
        var unknown = decided.Source == RecordedTimeSources.Unknown;
        var end = start + TimeSpan.FromSeconds(Math.Max(0, info?.DurationSeconds ?? 0));
        return new Record
        {
            Id = Ids.New(),
            Sha256 = upload.Sha256,
            Size = upload.Length,
            FileName = upload.FileName,
            Format = format.Name,
            MediaKind = format.Kind.ToString().ToLowerInvariant(),
            ContentType = format.ContentType,
            DeviceCode = upload.DeviceCode,
            DeviceId = device?.Id,
            OfficerBadge = upload.OfficerBadge,
            OfficerId = officer?.Id,
            UnitId = unitId,
            UnitPath = unitPath,
            Unassigned = officer is null,
            ActivityType = upload.ActivityType,
            RecordedStart = start,
            RecordedEnd = end,
            RecordedStartSource = decided.Source,
            ClaimedRecordedStart = decided.Claimed,
            RecordedTimeDiscrepancy = decided.Discrepancy,
            SavedAt = savedAt,
            LateSave = unknown ? null : RecordingTimes.IsLateSave(end, savedAt),
            // With no known recording day, counted from the save day: kept longer, never shorter.
            RetainUntil = RecordingTimes.RetainUntil(unknown ? savedAt : start),
            DurationSeconds = info?.DurationSeconds,
            VideoCodec = info?.VideoCodec,
            AudioCodec = info?.AudioCodec,
            Width = info?.Width,
            Height = info?.Height,
            ContainerCreationTime = info?.CreationTime,
            HasThumbnail = hasThumbnail,
            UploadedById = upload.CreatedById,
            UploadChannel = ChannelTus,
            UploadId = upload.Id,
        };
    }
}
