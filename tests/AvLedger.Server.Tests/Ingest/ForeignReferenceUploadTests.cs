using System.Net;
using System.Text;
using AvLedger.Core.Data;
using AvLedger.Core.Records;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Record = AvLedger.Core.Records.Record;

namespace AvLedger.Server.Tests.Ingest;

/// <summary>A 758-byte "MP3" (an ID3 tag, then an HLS playlist naming another
/// officer's video by file: URL) was stored, and the rendition job turned that video into this
/// record's web rendition. Media tools now read the upload as the MP3 it was recognised as, and nothing else.</summary>
public sealed class ForeignReferenceUploadTests(SqliteFactory factory) : IClassFixture<SqliteFactory>, IDisposable
{
    readonly string outside = Directory.CreateTempSubdirectory("avledger-other-").FullName;

    public void Dispose() => Directory.Delete(outside, recursive: true);

    static byte[] Id3()
    {
        byte[] frame = [.. "TIT2"u8, 0, 0, 0, 5, 0, 0, 0, .. "abcd"u8];
        var n = frame.Length;
        return [.. "ID3"u8, 3, 0, 0, (byte)((n >> 21) & 0x7F), (byte)((n >> 14) & 0x7F), (byte)((n >> 7) & 0x7F), (byte)(n & 0x7F), .. frame];
    }

    [Fact]
    public async Task An_mp3_naming_another_officers_video_in_an_hls_playlist_never_gets_that_video_as_its_rendition()
    {
        // Another officer's H.265 recording, which would need (and so get) a web rendition.
        var other = Path.Combine(outside, "another.mp4");
        await File.WriteAllBytesAsync(other, await Tus.NewSampleAsync(2, hevc: true));
        var playlist = $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n{new Uri(other).AbsoluteUri}\n#EXT-X-ENDLIST\n";
        byte[] evil = [.. Id3(), .. Encoding.UTF8.GetBytes(playlist)];

        var (officer, _) = await factory.OfficerAsync();
        var status = await Tus.UploadAsync(officer, evil, fileName: "DSJ_20261120093000.mp3");
        Assert.Equal("stored", status.State);
        var id = status.RecordId!;

        Record record;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
            var waited = 0;
            while ((record = await db.Records.AsNoTracking().SingleAsync(r => r.Id == id)).Rendition == RenditionState.Pending && waited++ < 240)
                await Task.Delay(250);
        }
        Assert.Equal("mp3", record.Format);
        Assert.Null(record.VideoCodec);
        Assert.NotEqual(RenditionState.Ready, record.Rendition);
        using var rendition = await officer.GetAsync($"/api/v1/records/{id}/rendition");
        Assert.NotEqual(HttpStatusCode.OK, rendition.StatusCode);
    }
}
