using System.Globalization;
using AvLedger.Core.Derivatives;
using AvLedger.Core.Records;
using AvLedger.Media;
using AvLedger.Server.Auth;
using AvLedger.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AvLedger.Server.Derivatives;

/// <summary>What the API says about a derivative: linked to its original and labelled, in every
/// answer, as not being an enforcement AV record (Art. 3).</summary>
public sealed record DerivativeView(
    string? Id, string OriginalId, DerivativeKind Kind, double? Start, double? End, DerivativeState State,
    string? Sha256, long? Size, DateTimeOffset? CreatedAt, string? Content)
{
    public bool IsRecord => false;
    public string Label => Clips.Label;
    public string LabelEn => Clips.LabelEn;

    public static DerivativeView Of(Derivative d) => new(d.Id, d.OriginalId, d.Kind, d.StartSeconds, d.EndSeconds, d.State, d.Sha256, d.Size,
        RecordingTimes.ToChina(d.CreatedAt), d.State == DerivativeState.Ready ? $"/api/v1/derivatives/{d.Id}/content" : null);

    /// <summary>A record's web rendition, shown alongside its clips; it lives on the record, not as a row of its own.</summary>
    public static DerivativeView RenditionOf(string recordId) =>
        new(null, recordId, DerivativeKind.WebRendition, null, null, DerivativeState.Ready, null, null, null, $"/api/v1/records/{recordId}/rendition");

    /// <summary>What a record's derivatives list shows: its clips, then its web rendition if it has one.</summary>
    public static List<DerivativeView> List(DerivativeRegister.OfRecord of)
    {
        var views = of.Clips.Select(Of).ToList();
        if (of.HasRendition) views.Add(RenditionOf(of.RecordId));
        return views;
    }
}

/// <summary>HTTP face of <see cref="DerivativeRegister"/> (Art. 3, R-3b).</summary>
public static class DerivativesApi
{
    /// <summary>The response header that marks a derivative's bytes, for any client that looks.</summary>
    public const string Header = "X-AvLedger-Derivative";

    public sealed record ClipRequest(double? Start, double? End);

    public static void MapDerivatives(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/clips", CutClipAsync).RequireAuthorization()
            .WithSummary("截取片段（派生文件，后台生成）")
            .WithDescription("剪辑不是执法音像记录，只作为派生文件保存，并与原始录像关联（第三条）。返回 202 和派生文件地址。")
            .WithParameter("id", "录像编号");
        app.MapGet("/api/v1/records/{id}/derivatives", async (string id, CurrentUser user, DerivativeRegister register, CancellationToken ct) =>
            (await register.OfRecordAsync(user.Scope, id, ct)).AsOk(DerivativeView.List)).RequireAuthorization()
            .WithSummary("录像的派生文件")
            .WithParameter("id", "录像编号");
        var derivatives = app.MapGroup("/api/v1/derivatives").RequireAuthorization().WithParameter("id", "派生文件编号");
        derivatives.MapGet("/{id}", async Task<Results<Ok<DerivativeView>, ProblemHttpResult>> (string id, CurrentUser user, DerivativeRegister register, CancellationToken ct) =>
            await register.FindAsync(user.Scope, id, ct) is { } d ? TypedResults.Ok(DerivativeView.Of(d)) : Problems.From(Core.Refusals.Refusal.NotFound))
            .WithSummary("派生文件详情（状态、来源录像）");
        derivatives.MapGet("/{id}/content", (string id, HttpContext http, CurrentUser user, DerivativeRegister register, RecordVault vault, IOptions<AvLedgerOptions> options, ILogger<ClipWorker> log, CancellationToken ct)
            => ContentAsync(id, inline: false, http, user, register, vault, options.Value.DownloadsPerHour, log, ct))
            .WithSummary("下载派生文件")
            .WithDescription("响应头 X-AvLedger-Derivative 标明不是原始录像；计入复制次数，先写审计。")
            .Produces<Stream>(200, "video/mp4");
        derivatives.MapGet("/{id}/view", (string id, HttpContext http, CurrentUser user, DerivativeRegister register, RecordVault vault, IOptions<AvLedgerOptions> options, ILogger<ClipWorker> log, CancellationToken ct)
            => ContentAsync(id, inline: true, http, user, register, vault, options.Value.DownloadsPerHour, log, ct))
            .WithSummary("播放派生文件")
            .WithDescription("响应头 X-AvLedger-Derivative 标明不是原始录像；观看先写审计。")
            .Produces<Stream>(200, "video/mp4");
    }

    static async Task<Results<Accepted<DerivativeView>, ProblemHttpResult>> CutClipAsync(string id, ClipRequest r, CurrentUser user, DerivativeRegister register, ClipSignal signal, CancellationToken ct)
    {
        var cut = await register.CutClipAsync(user.Scope, id, r.Start, r.End, ct);
        if (cut.Refusal is { } refused) return Problems.From(refused);
        signal.Pulse();
        return TypedResults.Accepted($"/api/v1/derivatives/{cut.Value!.Id}", DerivativeView.Of(cut.Value));
    }

    static async Task<IResult> ContentAsync(string id, bool inline, HttpContext http, CurrentUser user, DerivativeRegister register, RecordVault vault, int perHour, ILogger log, CancellationToken ct)
    {
        var released = await register.ReleaseClipAsync(user.Scope, id, inline, http.Request.Headers.Range.ToString(), perHour, ct);
        if (released.Refusal is { } refused) return Problems.From(refused, http.Response);
        var clip = released.Value!;
        var sha = clip.Sha256!;
        var stream = await vault.OpenAsync(RecordVault.ClipKey(sha), ct);
        if (stream is null)
        {
            log.LogError("Clip {DerivativeId} has no stored blob", clip.Id);
            return Problems.From(new Core.Refusals.Refusal(500, "blob-missing", "ask-admin") { TitleKey = "blob-missing.clip" });
        }
        var headers = http.Response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers.CacheControl = "private, no-store";
        headers[Header] = "clip";
        headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(sha))}:";
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(FileName(clip));
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.Stream(stream, Renditions.ContentType, lastModified: clip.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{sha}\""), enableRangeProcessing: true);
    }

    /// <summary>The file name says what the file is: a clip, not a record.</summary>
    public static string FileName(Derivative d) =>
        string.Create(CultureInfo.InvariantCulture, $"{Clips.Label}_片段_{d.OriginalId}_{d.StartSeconds:0.###}-{d.EndSeconds:0.###}s.mp4");
}
