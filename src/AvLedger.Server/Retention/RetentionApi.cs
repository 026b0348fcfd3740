using AvLedger.Core.Accounts;
using AvLedger.Core.Retention;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Retention;

/// <summary>HTTP face of <see cref="RetentionSettings"/>, <see cref="LegalHolds"/> and <see cref="PurgeDecisions"/> (Art. 13, R-13).</summary>
public static class RetentionApi
{
    public sealed record CategoryChoice(List<string?>? Categories);
    public sealed record Decision(string? Opinion, string? Password, string? Totp);

    public static void MapRetention(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/retention/categories", async (RetentionSettings settings, CancellationToken ct) => TypedResults.Ok(await settings.CategoriesAsync(ct)))
            .RequireAuthorization();
        app.MapPut("/api/v1/retention/categories/{code}", PutCategoryAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)));
        app.MapPost("/api/v1/records/{id}/retention", async (string id, CategoryChoice c, CurrentUser user, RetentionSettings settings, CancellationToken ct) =>
                (await settings.SetCategoriesAsync(user.Scope, id, c.Categories, ct)).AsOk())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)));
        app.MapGet("/api/v1/legal-holds", async (CurrentUser user, LegalHolds holds, CancellationToken ct, bool active = false) =>
                TypedResults.Ok(await holds.ListAsync(user.Scope, active, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer), nameof(Role.Inspector), nameof(Role.Auditor)));
        app.MapPost("/api/v1/legal-holds", async (LegalHolds.NewHold h, CurrentUser user, LegalHolds holds, CancellationToken ct) =>
                (await holds.PlaceAsync(user.Scope, h, ct)).AsCreated(hold => $"/api/v1/legal-holds/{hold.Id}", hold => hold))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)));
        app.MapPost("/api/v1/legal-holds/{id}/release", async (string id, CurrentUser user, LegalHolds holds, CancellationToken ct) =>
                (await holds.ReleaseAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)));
        app.MapGet("/api/v1/purge-proposals", async (CurrentUser user, PurgeDecisions decisions, CancellationToken ct, string? state = null) =>
                (await decisions.ListAsync(user.Scope, state, ct)).AsOk())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)));
        foreach (var (verb, approve) in new[] { ("approve", true), ("reject", false) })
            app.MapPost($"/api/v1/purge-proposals/{{id}}/{verb}", async (string id, Decision d, CurrentUser user, PurgeDecisions decisions, IOptions<AvLedgerOptions> options, CancellationToken ct) =>
                    (await decisions.DecideAsync(user.Scope, id, new PurgeDecisions.WrittenDecision(approve, d.Opinion, d.Password, d.Totp), options.Value.Retention.RecoveryWindow, ct)).AsOk())
                .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapPost("/api/v1/purge-proposals/{id}/cancel", async (string id, CurrentUser user, PurgeDecisions decisions, CancellationToken ct) =>
                (await decisions.CancelAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapDelete("/api/v1/records/{id}", async (string id, HttpContext http, CurrentUser user, RetentionSettings settings, CancellationToken ct) =>
        {
            var refusal = await settings.DeleteRecordAsync(user.Scope, id, ct);
            if (refusal.Status == StatusCodes.Status405MethodNotAllowed) http.Response.Headers.Allow = "GET";
            return Problems.From(refusal);
        }).RequireAuthorization();
    }

    /// <summary>A new category answers 201, a changed one 200.</summary>
    static async Task<Results<Created<RetentionSettings.CategoryView>, Ok<RetentionSettings.CategoryView>, ProblemHttpResult>> PutCategoryAsync(
        string code, RetentionSettings.CategoryChange c, CurrentUser user, RetentionSettings settings, CancellationToken ct)
    {
        var saved = await settings.SaveCategoryAsync(user.Scope, code, c, ct);
        if (saved.Refusal is { } refused) return Problems.From(refused);
        return saved.Value!.Created
            ? TypedResults.Created($"/api/v1/retention/categories/{code}", saved.Value.View)
            : TypedResults.Ok(saved.Value.View);
    }

}
