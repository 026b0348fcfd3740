using System.Net;
using System.Text.RegularExpressions;

namespace AvLedger.Server.Tests.Auth;

/// <summary>A browser as far as cookies go: it keeps what the server sets and sends it back, and its
/// cookies can be copied to another (as a thief with the session cookie would).</summary>
public sealed partial class CookieBrowser(HttpClient client) : IDisposable
{
    public Dictionary<string, string> Cookies { get; } = [];

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var v) ? v : [])
        {
            var pair = set.Split(';')[0].Split('=', 2);
            if (set.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(pair[0]);
            else Cookies[pair[0]] = pair[1];
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Posts a page's form with its hidden fields (handler name, antiforgery token) and <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, Dictionary<string, string> fields, string? action = null)
    {
        using var shown = await GetAsync(page);
        var form = HiddenInput().Matches(await shown.Content.ReadAsStringAsync()).GroupBy(m => m.Groups[1].Value)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));
        foreach (var (k, v) in fields) form[k] = v;
        return await SendAsync(HttpMethod.Post, action ?? page, new FormUrlEncodedContent(form));
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
