using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Server.Tests.Access;

namespace AvLedger.Server.Tests.Derivatives;

/// <summary>For the authorization matrix: one ready clip of record X, cut by its officer, made once per world.</summary>
public static class MatrixClips
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MatrixWorld, string> Made = [];

    public static async Task<string> OfRecordXAsync(MatrixWorld w)
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(w, out var id)) return id;
            using var officer = w.Client(Persona.OfficerA);
            using var response = await officer.PostAsJsonAsync($"/api/v1/records/{w.RecordId}/clips", new { start = 0, end = 1 });
            response.EnsureSuccessStatusCode();
            id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            for (var i = 0; i < 240; i++)
            {
                var view = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/derivatives/{id}");
                if (view.GetProperty("state").GetString() == "ready") break;
                await Task.Delay(250);
            }
            Made.Add(w, id);
            return id;
        }
        finally
        {
            Gate.Release();
        }
    }
}
