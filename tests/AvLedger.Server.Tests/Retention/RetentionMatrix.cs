using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Data;
using AvLedger.Core.Retention;
using AvLedger.Server.Tests.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Retention;

/// <summary>What the authorization matrix's retention rows need set up for each call.</summary>
public static class RetentionMatrix
{
    /// <summary>A purge proposal for record X in <paramref name="state"/>, made directly (record X is
    /// not expired, so the worker would never propose it).</summary>
    public static async Task<string> ProposalAsync(MatrixWorld w, PurgeState state)
    {
        using var scope = w.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var record = await db.Records.AsNoTracking().SingleAsync(r => r.Id == w.RecordId);
        var now = w.Factory.Clock.GetUtcNow();
        var proposal = new PurgeProposal
        {
            Id = Core.Ids.New(), RecordId = record.Id, UnitPath = record.UnitPath!, ProposedAt = now, RetainUntil = record.RetainUntil, State = state,
            DestroyAfter = state == PurgeState.Approved ? now.AddDays(7) : null,
        };
        db.PurgeProposals.Add(proposal);
        await db.SaveChangesAsync();
        return proposal.Id;
    }

    /// <summary>A legal hold on record X placed by Head A.</summary>
    public static async Task<string> HoldAsync(MatrixWorld w)
    {
        using var head = w.Client(Persona.HeadA);
        using var response = await head.PostAsJsonAsync("/api/v1/legal-holds", new { recordId = w.RecordId, reason = "矩阵保全" });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }
}
