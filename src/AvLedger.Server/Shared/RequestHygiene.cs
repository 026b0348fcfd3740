using System.Buffers;
using System.Text;
using System.Text.Json;
using AvLedger.Core.Text;
using AvLedger.Server.Auth;
using Microsoft.AspNetCore.Routing.Patterns;

namespace AvLedger.Server.Shared;

/// <summary>What every request and response gets, whatever the endpoint: text without hidden
/// characters, the browser's protective headers, and HEAD wherever GET answers.</summary>
public static class RequestHygiene
{
    const string PageCsp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; font-src 'self'; object-src 'none'; base-uri 'self'; "
        + "form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            h.XFrameOptions = "DENY";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            // The API reference page is a third-party bundle with inline configuration; it holds no data.
            if (!WebSignIn.IsApi(http.Request) && !http.Request.Path.StartsWithSegments("/docs"))
                h.ContentSecurityPolicy = PageCsp;
            else if (http.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
                h.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            // Only where the request came over TLS (directly, or from a trusted proxy that said so).
            if (http.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>Refuses, before any endpoint sees it, a request whose text (path, query, JSON, CSV or
    /// form fields) carries a control or bidirectional formatting character: nothing is changed.</summary>
    public static IApplicationBuilder UsePlainTextOnly(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var found = await FindForbiddenAsync(http.Request, http.RequestAborted);
        if (found is not { } where)
        {
            await next(http);
            return;
        }
        if (WebSignIn.IsApi(http.Request))
            await Problems.From(new Core.Refusals.Refusal(400, "text-forbidden-character", null, where.Field, PlainText.Describe(where.Character))).ExecuteAsync(http);
        else
            await RefusalPageAsync(http);
    });

    /// <summary>A page of its own rather than the error page: that would run again as the refused form post.</summary>
    static async Task RefusalPageAsync(HttpContext http)
    {
        var t = http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Shell.ShellText>>();
        var encode = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{encode.Encode(System.Globalization.CultureInfo.CurrentUICulture.Name)}"><head><meta charset="utf-8" /><title>{encode.Encode(t["AppName"])}</title>
            <link rel="stylesheet" href="/css/app.css" /></head>
            <body><section class="error-page" data-testid="error-page"><p>{encode.Encode(t["ForbiddenText"])}</p>
            <p><a href="/records">{encode.Encode(t["BackToRecords"])}</a></p></section></body></html>
            """, http.RequestAborted);
    }

    public readonly record struct Found(string Field, char Character);

    static async Task<Found?> FindForbiddenAsync(HttpRequest request, CancellationToken ct)
    {
        if (PlainText.Forbidden(request.Path.Value) is { } p) return new Found("path", p);
        foreach (var (key, values) in request.Query)
            if (Forbidden(key, values) is { } q) return q;
        var type = request.ContentType;
        if (type is null || !request.Body.CanRead) return null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var (key, values) in form)
                if (Forbidden(key, values) is { } f) return f;
            return null;
        }
        var json = type.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (!json && !type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)) return null;
        request.EnableBuffering();
        try
        {
            return json ? await InJsonAsync(request.Body, ct) : await InTextAsync(request.Body, ct);
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    static Found? Forbidden(string key, Microsoft.Extensions.Primitives.StringValues values)
    {
        if (PlainText.Forbidden(key) is { } k) return new Found("name", k);
        foreach (var v in values)
            if (v is not null && PlainText.Forbidden(v) is { } c) return new Found(key, c);
        return null;
    }

    static async Task<Found?> InTextAsync(Stream body, CancellationToken ct)
    {
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var chars = ArrayPool<char>.Shared.Rent(64 * 1024 + 4);
        try
        {
            int read;
            while ((read = await body.ReadAsync(bytes, ct)) > 0)
            {
                var n = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                if (PlainText.Forbidden(chars.AsSpan(0, n)) is { } c) return new Found("body", c);
            }
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Streams the JSON through a reader, so escaped characters (\u202e) are seen as what they are.
    /// Malformed JSON is left to the endpoint, which answers it in its own words.</summary>
    static async Task<Found?> InJsonAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        string? property = null;
        var final = false;
        while (true)
        {
            if (!final)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = await body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) final = true;
                length += read;
            }
            var (found, consumed, next, error, name) = Scan(buffer.AsSpan(0, length), final, state, property);
            if (found is not null || error) return found;
            state = next;
            property = name;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            if (final) return null;
        }
    }

    static (Found? Found, int Consumed, JsonReaderState State, bool Error, string? Property) Scan(ReadOnlySpan<byte> data, bool final, JsonReaderState state, string? property)
    {
        var reader = new Utf8JsonReader(data, final, state);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String)) continue;
                var text = reader.GetString() ?? "";
                if (reader.TokenType == JsonTokenType.PropertyName) property = text;
                if (PlainText.Forbidden(text) is { } c)
                    return (new Found(reader.TokenType == JsonTokenType.PropertyName ? "name" : property ?? "value", c), 0, default, false, property);
            }
            return (null, (int)reader.BytesConsumed, reader.CurrentState, false, property);
        }
        catch (JsonException)
        {
            return (null, 0, default, true, property);
        }
        catch (InvalidOperationException)
        {
            return (null, 0, default, true, property);
        }
    }

    /// <summary>HTTP says a server answers HEAD wherever it answers GET (RFC 9110 §9.3.2); endpoints are
    /// mapped for GET only, so every GET endpoint without a HEAD of its own also takes HEAD. The server
    /// sends no body for HEAD.</summary>
    public static void AnswerHeadWhereGetAnswers(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            // Whatever server runs the app, a HEAD answer carries the GET's headers and no body.
            if (HttpMethods.IsHead(http.Request.Method) && http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>() is { } body)
                http.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
            return next(http);
        });
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var all = sources.ToList();
        sources.Clear();
        sources.Add(new HeadAlsoDataSource(new CompositeEndpointDataSource(all)));
    }

    sealed class HeadAlsoDataSource(EndpointDataSource inner) : EndpointDataSource
    {
        IReadOnlyList<Endpoint>? endpoints;

        public override IReadOnlyList<Endpoint> Endpoints => endpoints ??= WithHead(inner.Endpoints);

        public override Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => inner.GetChangeToken();

        static List<Endpoint> WithHead(IReadOnlyList<Endpoint> source)
        {
            var explicitHead = source.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Head) == true)
                .Select(e => e.RoutePattern.RawText).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return source.Select(e =>
            {
                if (e is not RouteEndpoint route || route.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                    || !methods.HttpMethods.Contains(HttpMethods.Get) || methods.HttpMethods.Contains(HttpMethods.Head)
                    || explicitHead.Contains(route.RoutePattern.RawText ?? ""))
                    return e;
                var metadata = route.Metadata.Select(m => m is IHttpMethodMetadata
                    ? new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight)
                    : m).ToList();
                return new RouteEndpoint(route.RequestDelegate!, route.RoutePattern, route.Order, new EndpointMetadataCollection(metadata), route.DisplayName);
            }).ToList();
        }
    }
}
