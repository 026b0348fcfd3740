using System.Net.Http.Json;
using System.Text.Json;

namespace AvLedger.Cli;

/// <summary>A command's sign-in that outlives its 15-minute access token: the token is refreshed
/// (one-time refresh tokens) before it runs out or when the server refuses it, and once the
/// sign-in's absolute end has passed the command signs in again with the password it was given.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A SemaphoreSlim needs disposing only once its wait handle is used, which this never does.")]
public sealed class ApiSignIn(HttpClient http, Uri server, string user, string? password, TimeProvider clock)
{
    string? accessToken;
    string? refreshToken;
    DateTimeOffset renewAt;
    readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Refreshes done so far (a long upload's log says so).</summary>
    public int Refreshes { get; private set; }

    /// <summary>A token someone else obtained; it is used as it is and never renewed.</summary>
    public static ApiSignIn Fixed(HttpClient http, Uri server, string token) =>
        new(http, server, "", null, TimeProvider.System) { accessToken = token, renewAt = DateTimeOffset.MaxValue };

    public static async Task<ApiSignIn> StartAsync(HttpClient http, Uri server, string user, string password, CancellationToken ct, TimeProvider? clock = null)
    {
        var signIn = new ApiSignIn(http, server, user, password, clock ?? TimeProvider.System);
        await signIn.SignInAsync(ct);
        return signIn;
    }

    public async Task<string> AccessTokenAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (accessToken is null || clock.GetUtcNow() >= renewAt) await RenewLockedAsync(ct);
            return accessToken!;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>After a 401 on <paramref name="refused"/>: get a new token unless another request already did.</summary>
    public async Task RenewAsync(string refused, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (accessToken == refused) await RenewLockedAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    async Task RenewLockedAsync(CancellationToken ct)
    {
        if (refreshToken is not null)
        {
            using var response = await http.PostAsJsonAsync(new Uri(server, "/api/v1/auth/refresh"), new { refreshToken }, ct);
            if (response.IsSuccessStatusCode)
            {
                await TakeAsync(response, ct);
                Refreshes++;
                return;
            }
            if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized)
                throw new InvalidOperationException($"{(int)response.StatusCode} {await TusUploader.ProblemText(response, ct)}");
        }
        if (password is not null) await SignInAsync(ct);
    }

    async Task SignInAsync(CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(new Uri(server, "/api/v1/auth/token"), new { username = user, password }, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode} {await TusUploader.ProblemText(response, ct)}");
        await TakeAsync(response, ct);
    }

    async Task TakeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var root = doc.RootElement;
        accessToken = root.GetProperty("accessToken").GetString()!;
        refreshToken = root.TryGetProperty("refreshToken", out var r) ? r.GetString() : null;
        // Renew when a quarter of the token's life is left (at most a minute early), measured on our
        // own clock from the lifetime the server gave, so a skewed clock here does not matter.
        var lifetime = root.GetProperty("expiresAt").GetDateTimeOffset() - (response.Headers.Date ?? clock.GetUtcNow());
        if (lifetime < TimeSpan.Zero) lifetime = TimeSpan.Zero;
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 4));
        renewAt = clock.GetUtcNow() + lifetime - margin;
    }
}
