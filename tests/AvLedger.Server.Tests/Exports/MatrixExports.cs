using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Server.Tests.Access;

namespace AvLedger.Server.Tests.Exports;

/// <summary>For the authorization matrix: one ready evidence package of record X, exported by Legal Officer A, made once per world.</summary>
public static class MatrixExports
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MatrixWorld, string> Made = [];

    public static async Task<string> OfRecordXAsync(MatrixWorld w)
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(w, out var id)) return id;
            using var legal = w.Client(Persona.LegalOfficerA);
            using var response = await legal.PostAsJsonAsync("/api/v1/exports", new { recordIds = new[] { w.RecordId }, purpose = "矩阵" });
            response.EnsureSuccessStatusCode();
            id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            for (var i = 0; i < 480; i++)
            {
                var view = await legal.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{id}");
                if (view.GetProperty("state").GetString() is "ready" or "failed") break;
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
