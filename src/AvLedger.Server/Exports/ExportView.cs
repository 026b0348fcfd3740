using AvLedger.Core.Exports;
using AvLedger.Core.Records;

namespace AvLedger.Server.Exports;

public sealed record ReceiptView(string Sha256, long Size, string? FileName, string ContentType, DateTimeOffset At, string Url);

/// <summary>What the API says about a package; the download link only to its requester while it is ready.</summary>
public sealed record ExportView(string Id, ExportState State, int Progress, string? DownloadUrl, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt,
    DateTimeOffset? ExpiresAt, string Purpose, string? ProvisionId, string TargetType, string? Target, IReadOnlyList<string> RecordIds,
    string? ManifestSha256, string? PackageSha256, long? Size, int Downloads, string? Error, ReceiptView? Receipt, bool Copies)
{
    public static ExportView Of(EvidenceExport x, bool mine, DateTimeOffset now) => new(
        x.Id, x.State, x.Progress,
        mine && x.State == ExportState.Ready && x.ExpiresAt > now ? $"/api/v1/exports/{x.Id}/download" : null,
        RecordingTimes.ToChina(x.CreatedAt), x.ReadyAt is { } r ? RecordingTimes.ToChina(r) : null, x.ExpiresAt is { } e ? RecordingTimes.ToChina(e) : null,
        x.Purpose, x.ProvisionId, x.TargetType, x.Target, x.Records.Select(r => r.RecordId).Order(StringComparer.Ordinal).ToList(),
        x.ManifestSha256, x.PackageSha256, x.Size, x.Downloads, x.Error,
        x.ReceiptSha256 is { } sha ? new ReceiptView(sha, x.ReceiptSize ?? 0, x.ReceiptFileName, x.ReceiptContentType ?? "application/octet-stream",
            RecordingTimes.ToChina(x.ReceiptAt!.Value), $"/api/v1/exports/{x.Id}/receipt") : null, x.WithCopies);
}
