using System.Text.Json;
using AvLedger.Core;
using AvLedger.Core.Data;
using AvLedger.Core.Ingest;
using AvLedger.Core.Jobs;
using AvLedger.Server.Ingest;
using AvLedger.Server.Tests.Infrastructure;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Ingest;

/// <summary>What a process that died between sealing an upload and describing it leaves behind:
/// a durable sealed original, an upload in "processing" and its job, but no trustworthy partial
/// file. The next process must finish the record from the sealed original alone.</summary>
public sealed class DurableProcessingTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task A_job_left_by_a_dead_process_finishes_from_the_sealed_original()
    {
        var (officer, badge) = await factory.OfficerAsync();
        var file = await Tus.NewSampleAsync(2);
        var sha = Tus.Sha256(file);
        var uploadId = Ids.New();
        var sealedAt = factory.Clock.GetUtcNow();
        using (var scope = factory.Services.CreateScope())
        {
            var vault = scope.ServiceProvider.GetRequiredService<RecordVault>();
            Assert.Equal(StoreOutcome.Stored, await vault.StoreOriginalAsync(sha, new MemoryStream(file), file.Length, default));
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            var owner = await db.Accounts.Where(a => a.Badge == badge).Select(a => a.Id).SingleAsync();
            db.Uploads.Add(new Upload
            {
                Id = uploadId, CreatedById = owner, CreatedAt = sealedAt, ExpiresAt = sealedAt.AddDays(1), Length = file.Length, Offset = file.Length,
                FileName = "DSJ_20261120093000.mp4", Sha256 = sha, OfficerBadge = badge, Format = "mp4",
                State = UploadState.Processing, CompletedAt = sealedAt, SealedAt = sealedAt,
            });
            // The partial file is whatever the page cache had written back when the process died.
            await File.WriteAllBytesAsync(scope.ServiceProvider.GetRequiredService<PartialUploads>().PathOf(uploadId), new byte[file.Length]);
            db.Jobs.Add(new Job { Id = Ids.New(), Kind = TusApi.JobKind, Subject = uploadId, CreatedAt = sealedAt, NotBefore = sealedAt, Version = Guid.NewGuid() });
            await db.SaveChangesAsync();
        }
        factory.Services.GetRequiredService<IngestSignal>().Pulse();

        var status = await Tus.SettledAsync(officer, $"/api/v1/uploads/{uploadId}");
        Assert.Equal("stored", status.State);
        var record = JsonDocument.Parse(await officer.GetStringAsync($"/api/v1/records/{status.RecordId}")).RootElement;
        Assert.Equal(sha, record.GetProperty("sha256").GetString());
        Assert.Equal("h264", record.GetProperty("videoCodec").GetString());
        Assert.Equal("container", record.GetProperty("recordedStartSource").GetString());
        Assert.Equal(sealedAt, record.GetProperty("savedAt").GetDateTimeOffset());
        Assert.True(record.GetProperty("hasThumbnail").GetBoolean());
        Assert.Equal(file, await officer.GetByteArrayAsync($"/api/v1/records/{status.RecordId}/content"));
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDir, "uploads")));
    }
}
