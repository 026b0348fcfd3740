using System.Globalization;
using System.Text.RegularExpressions;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Retention;

/// <summary>Art. 13 (R-13): the retention categories and their periods, and which categories a record
/// is kept under. A change recomputes every affected record's retain-until date at once.</summary>
public sealed partial class RetentionSettings(AvLedgerDb db)
{
    public sealed record CategoryView(string Code, string Name, int? Days, bool Disabled);
    public sealed record CategoryChange(string? Name, int? Days, bool? Disabled);
    public sealed record SavedCategory(CategoryView View, bool Created);
    public sealed record RetentionView(string RecordId, DateOnly RetainUntil, bool OpenEnded, IReadOnlyList<string> Categories, DateTimeOffset? PurgedAt);

    /// <summary>Heads and legal officers keep records: they choose categories and place holds.</summary>
    public const Role Keepers = Role.DepartmentHead | Role.LegalOfficer;

    public static Refusal Invalid(string reason, params object[] args) => new(400, "retention-invalid", reason, args);

    /// <summary>The record's original was destroyed at the end of its retention; metadata and hash remain.</summary>
    public static Refusal Purged { get; } = new(410, "record-purged");

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{0,39}$")]
    private static partial Regex CodePattern();

    /// <summary>Every category, the general one first; anyone signed in may read them.</summary>
    public async Task<List<CategoryView>> CategoriesAsync(CancellationToken ct) =>
        (await db.RetentionCategories.AsNoTracking().Select(c => new CategoryView(c.Code, c.Name, c.Days, c.Disabled)).ToListAsync(ct))
            .OrderBy(c => c.Code == RetentionCategories.General ? 0 : 1).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();

    public async Task<Outcome<SavedCategory>> SaveCategoryAsync(Scope actor, string code, CategoryChange c, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.SystemAdministrator)) return Refusal.Forbidden;
        if (!CodePattern().IsMatch(code)) return Invalid("category-code");
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Trim().Length > 100) return Invalid("category-name");
        if (c.Days is { } days && (days < RecordingTimes.MinimumRetentionDays || days > 365 * 100))
            return new Refusal(400, "retention-too-short", null, RecordingTimes.MinimumRetentionDays, days);
        if (code == RetentionCategories.General && (c.Days is null || c.Disabled == true)) return Invalid("general-category");
        var now = actor.Now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var category = await db.RetentionCategories.SingleOrDefaultAsync(x => x.Code == code, ct);
        var created = category is null;
        if (category is null)
        {
            category = new RetentionCategory { Code = code, Name = c.Name.Trim() };
            db.RetentionCategories.Add(category);
        }
        category.Name = c.Name.Trim();
        category.Days = c.Days;
        category.Disabled = c.Disabled ?? false;
        AdministrationEvents.Add(db, actor.Id, PurgeKinds.CategoryChanged, code,
            $"days={(c.Days?.ToString(CultureInfo.InvariantCulture) ?? "case-file")};disabled={category.Disabled.ToString().ToLowerInvariant()}", now);
        await db.SaveChangesAsync(ct);
        var affected = await db.RecordRetentions.Where(x => x.CategoryCode == code).Select(x => x.RecordId).ToListAsync(ct);
        await RetentionRules.RecomputeAsync(db, affected, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new SavedCategory(new CategoryView(category.Code, category.Name, category.Days, category.Disabled), created);
    }

    /// <summary>The record, if the person is a head or legal officer over its unit (a grant makes nobody its keeper).</summary>
    internal static async Task<Record?> KeptRecordAsync(AvLedgerDb db, Scope actor, string id, CancellationToken ct)
    {
        if (!Ids.LooksValid(id) || !actor.Person.Has(Keepers)) return null;
        return await actor.RecordsInCharge(db.Records).SingleOrDefaultAsync(x => x.Id == id, ct);
    }

    /// <summary>The categories a record is kept under, for whoever may already see the record.</summary>
    public async Task<IReadOnlyList<string>> CategoriesOfAsync(string recordId, CancellationToken ct) =>
        await db.RecordRetentions.AsNoTracking().Where(x => x.RecordId == recordId).OrderBy(x => x.CategoryCode).Select(x => x.CategoryCode).ToListAsync(ct);

    public async Task<Outcome<RetentionView>> SetCategoriesAsync(Scope actor, string id, IReadOnlyList<string?>? categories, CancellationToken ct)
    {
        var now = actor.Now;
        var record = await KeptRecordAsync(db, actor, id, ct);
        if (record is null) return Refusal.NotFound;
        if (record.PurgedAt is not null) return Purged;
        var codes = (categories ?? []).Select(x => x?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count > 20) return Invalid("too-many-categories");
        var known = await db.RetentionCategories.AsNoTracking().Where(x => codes.Contains(x.Code)).ToDictionaryAsync(x => x.Code, ct);
        var current = await db.RecordRetentions.Where(x => x.RecordId == record.Id).ToListAsync(ct);
        foreach (var code in codes)
        {
            if (!known.TryGetValue(code, out var category)) return Invalid("category-unknown", code);
            if (category.Disabled && current.All(x => x.CategoryCode != code)) return Invalid("category-disabled", code);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.RecordRetentions.RemoveRange(current.Where(x => !codes.Contains(x.CategoryCode)));
        foreach (var code in codes.Where(code => current.All(x => x.CategoryCode != code)))
            db.RecordRetentions.Add(new RecordRetention { RecordId = record.Id, CategoryCode = code, SetById = actor.Id, SetAt = now });
        await db.SaveChangesAsync(ct);
        await RetentionRules.RecomputeAsync(db, [record.Id], now, ct);
        db.LedgerPending.Add(LedgerLeaves.RetentionSet(record, codes, actor.Id, now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new RetentionView(record.Id, record.RetainUntil, record.RetentionOpenEnded, codes.Order(StringComparer.Ordinal).ToList(), record.PurgedAt);
    }

    /// <summary>Records are never deleted, by anyone. Who may know the record exists is told so (405);
    /// for everyone else it does not exist (404).</summary>
    public async Task<Refusal> DeleteRecordAsync(Scope actor, string id, CancellationToken ct) =>
        Ids.LooksValid(id) && await actor.Records(db.Records.AsNoTracking()).AnyAsync(r => r.Id == id, ct)
            ? new Refusal(405, "records-are-never-deleted")
            : Refusal.NotFound;
}
