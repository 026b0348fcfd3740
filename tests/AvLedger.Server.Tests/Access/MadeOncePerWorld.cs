using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AvLedger.Server.Tests.Access;

/// <summary>For the authorization matrix: something a background job makes (a clip, a package), asked for
/// once per world by <paramref name="maker"/> with a POST to <paramref name="create"/>, then polled at
/// <paramref name="view"/>/{id} until its state is one of <paramref name="settled"/> or the wait is over.</summary>
public sealed class MadeOncePerWorld(Persona maker, Func<MatrixWorld, string> create, Func<MatrixWorld, object> body, string view, params string[] settled)
{
    readonly SemaphoreSlim gate = new(1, 1);
    readonly ConditionalWeakTable<MatrixWorld, string> made = [];

    public async Task<string> IdAsync(MatrixWorld w)
    {
        await gate.WaitAsync();
        try
        {
            if (made.TryGetValue(w, out var id)) return id;
            using var client = w.Client(maker);
            using var response = await client.PostAsJsonAsync(create(w), body(w));
            response.EnsureSuccessStatusCode();
            id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            await w.Factory.WorkersIdleAsync();
            var state = (await client.GetFromJsonAsync<JsonElement>($"{view}/{id}")).GetProperty("state").GetString();
            if (!settled.Contains(state)) throw new InvalidOperationException($"{view}/{id} is {state} once the workers are idle");
            made.Add(w, id);
            return id;
        }
        finally
        {
            gate.Release();
        }
    }
}
