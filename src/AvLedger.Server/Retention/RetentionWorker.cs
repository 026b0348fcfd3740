using AvLedger.Core;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Retention;
using AvLedger.Server.Jobs;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Retention;

public sealed class RetentionSignal : Signal;

/// <summary>Runs a <see cref="RetentionPass"/> every <see cref="RetentionOptions.PassInterval"/>.</summary>
public sealed class RetentionWorker(IServiceScopeFactory scopes, RetentionSignal signal, IOptions<AvLedgerOptions> options, ILogger<RetentionWorker> log)
    : SignalledWorker(signal, options.Value.Retention.PassInterval, log)
{
    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        await scope.ServiceProvider.GetRequiredService<RetentionPass>().RunOnceAsync(ct);
        return false;
    }
}

/// <summary>
/// One pass of Art. 13's end of life: (a) records past their retention (Beijing day), not open-ended,
/// not purged and without a live proposal are proposed for purge; (b) approved proposals whose
/// recovery window has passed are carried out — after every rule is checked again at that moment —
/// by destroying the original and its derivatives and leaving the record as a tombstone.
/// </summary>
public sealed class RetentionPass(AvLedgerDb db, RecordVault vault, TimeProvider clock, IOptions<AvLedgerOptions> options, ILogger<RetentionPass> log)
{
    /// <summary>One pass at a time in this process, so the worker and a caller never propose twice.</summary>
    static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Proposals made, purges carried out, and records the rules turned out to keep after all.</summary>
    public sealed record Outcome(int Proposed, int Executed, int Kept);

    public async Task<Outcome> RunOnceAsync(CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            var (proposed, kept) = await ProposeAsync(ct);
            var (executed, withdrawn) = await ExecuteAsync(ct);
            return new Outcome(proposed, executed, kept + withdrawn);
        }
        finally
        {
            Gate.Release();
        }
    }

    async Task<(int Proposed, int Kept)> ProposeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = RetentionRules.Today(now);
        var quiet = now - options.Value.Retention.ReproposeAfter;
        var candidates = await db.Records
            .Where(r => r.PurgedAt == null && !r.RetentionOpenEnded && r.RetainUntil < today
                && !db.PurgeProposals.Any(p => p.RecordId == r.Id && (p.State == PurgeState.Proposed || p.State == PurgeState.Approved
                    || ((p.State == PurgeState.Rejected || p.State == PurgeState.Cancelled) && p.ProposedAt > quiet))))
            .OrderBy(r => r.RetainUntil).Take(500).ToListAsync(ct);
        var proposed = 0;
        foreach (var record in candidates)
        {
            // The stored date may be stale (a case linked since): the rules decide, not the column.
            await RetentionRules.RecomputeAsync(db, [record.Id], now, ct);
            if (record.RetentionOpenEnded || record.RetainUntil >= today) continue;
            var proposal = new PurgeProposal
            {
                Id = Ids.New(), RecordId = record.Id, UnitPath = record.UnitPath ?? "", ProposedAt = now, RetainUntil = record.RetainUntil, State = PurgeState.Proposed,
            };
            db.PurgeProposals.Add(proposal);
            db.LedgerPending.Add(LedgerLeaves.Purge(PurgeKinds.Proposed, proposal, null, now));
            proposed++;
        }
        await db.SaveChangesAsync(ct);
        if (proposed > 0) log.LogInformation("Proposed {Count} expired records for purge", proposed);
        return (proposed, candidates.Count - proposed);
    }

    async Task<(int Executed, int Withdrawn)> ExecuteAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = RetentionRules.Today(now);
        var due = await db.PurgeProposals.Where(p => p.State == PurgeState.Approved && p.DestroyAfter != null && p.DestroyAfter <= now)
            .OrderBy(p => p.DestroyAfter).Take(100).ToListAsync(ct);
        int executed = 0, withdrawn = 0;
        foreach (var proposal in due)
        {
            var record = await db.Records.SingleAsync(r => r.Id == proposal.RecordId, ct);
            if (record.PurgedAt is not null)
            {
                proposal.State = PurgeState.Executed;
                proposal.ExecutedAt ??= record.PurgedAt;
                await db.SaveChangesAsync(ct);
                continue;
            }
            // Every rule again, at this moment: still expired, no hold, no open case.
            await RetentionRules.RecomputeAsync(db, [record.Id], now, ct);
            var rules = await RetentionRules.ComputeAsync(db, record, ct);
            if (proposal.State == PurgeState.Withdrawn || !rules.ExpiredOn(today))
            {
                if (proposal.State != PurgeState.Withdrawn)
                {
                    proposal.State = PurgeState.Withdrawn;
                    db.LedgerPending.Add(LedgerLeaves.Purge(PurgeKinds.Withdrawn, proposal, null, now));
                }
                await db.SaveChangesAsync(ct);
                withdrawn++;
                continue;
            }
            // Clips and copies go with their original, unless identical bytes also serve another record's.
            var clips = await db.Derivatives.Where(d => d.OriginalId == record.Id && d.Sha256 != null
                    && !db.Derivatives.Any(o => o.Sha256 == d.Sha256 && o.OriginalId != record.Id))
                .Select(d => d.Sha256!).Distinct().ToListAsync(ct);
            var removed = await vault.DestroyAsync(record.Sha256, clips, new PurgeOrder(proposal.Id, proposal.DeciderId!, rules.RetainUntil, proposal.DestroyAfter!.Value), ct);
            record.PurgedAt = now;
            proposal.State = PurgeState.Executed;
            proposal.ExecutedAt = now;
            db.LedgerPending.Add(LedgerLeaves.RecordPurged(record, proposal, now));
            await db.SaveChangesAsync(ct);
            log.LogWarning("Record {RecordId} purged under proposal {ProposalId} approved by {Approver}: {Blobs} blobs destroyed, tombstone kept",
                record.Id, proposal.Id, proposal.DeciderId, removed);
            executed++;
        }
        return (executed, withdrawn);
    }
}
