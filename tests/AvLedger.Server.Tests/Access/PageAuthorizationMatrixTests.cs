using System.Net;
using System.Reflection;
using AvLedger.Core.Approvals;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Access;

/// <summary>The authorization matrix of the web pages: every routable page × every persona of the API
/// matrix, in the same world, signed in with the browser's cookie (the station with its key, which no
/// page but the public ones admits). A page answers what a person may not know exists with 404, sends
/// someone not signed in to /login, and someone whose role it refuses to /error/403.</summary>
[Collection(MatrixWorld.Collection)]
public sealed class PageAuthorizationMatrixTests(MatrixWorld world)
{
    /// <summary>A status and, for a redirect, the path it leads to; <paramref name="Sees"/>: whether the page
    /// shows record X (checked when given).</summary>
    public sealed record Expect(HttpStatusCode Status, string? RedirectTo = null, bool? Sees = null);

    /// <summary>One page route: the path to ask for (ids are the API matrix's objects), what each person gets,
    /// and what the station's key gets (by default 403, as for the API).</summary>
    public sealed record Row(string Route, Func<MatrixWorld, Persona, Task<string>> Path, Func<Persona, Expect> Expect, Expect? Station = null);

    static readonly Expect Shown = new(HttpStatusCode.OK);
    static readonly Expect Hidden = new(HttpStatusCode.NotFound);
    static readonly Expect SignIn = new(HttpStatusCode.Redirect, "/login");
    static readonly Expect Refused = new(HttpStatusCode.Redirect, "/error/403");

    static readonly Persona[] MetadataScope = [Persona.OfficerA, Persona.HeadA, Persona.HeadR, Persona.InspectorA, Persona.LegalOfficerA, Persona.AuditorR, Persona.GranteeView, Persona.GranteeCopy];
    static readonly Persona[] Officers = [Persona.OfficerA, Persona.OfficerB, Persona.GranteeView, Persona.GranteeCopy, Persona.GranteeExpired, Persona.GranteeRevoked];
    static readonly Persona[] Heads = [Persona.HeadA, Persona.HeadR, Persona.HeadB];
    static readonly Persona[] Auditors = [Persona.AuditorR, Persona.AuditorB];
    /// <summary>Whom the session pages serve: everyone but custodians and administrators.</summary>
    static readonly Persona[] SessionRoles = [.. Officers, .. Heads, Persona.InspectorA, Persona.LegalOfficerA, .. Auditors];

    static Func<Persona, Expect> Anyone(Expect expect) => _ => expect;
    static Func<Persona, Expect> SignedIn() => p => p == Persona.Anonymous ? SignIn : Shown;

    /// <summary>A page for some roles: the rest are refused before the page runs.</summary>
    static Func<Persona, Expect> Roles(params Persona[] allowed) => p => p == Persona.Anonymous ? SignIn : allowed.Contains(p) ? Shown : Refused;

    /// <summary>A page about one object: those who may know of it see it, for everyone else it does not exist.</summary>
    static Func<Persona, Expect> Knowing(params Persona[] allowed) => p => p == Persona.Anonymous ? SignIn : allowed.Contains(p) ? Shown : Hidden;

    static Task<string> At(string path) => Task.FromResult(path);

    /// <summary>The written approval of the grant Head A gave GranteeView (a view of record X).</summary>
    static async Task<string> GranteeViewsApprovalAsync(MatrixWorld w)
    {
        using var scope = w.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.AvLedgerDb>();
        var requester = await db.Accounts.Where(a => a.Username == w.Username(Persona.GranteeView)).Select(a => a.Id).SingleAsync();
        return await db.AccessDecisions.Where(d => d.Request!.RequesterId == requester && d.Number != null && d.State == DecisionState.Approved)
            .Select(d => d.Id).FirstAsync();
    }

    public static readonly Row[] Table =
    [
        // The shell: open to all, the station's key included.
        new("/login", (_, _) => At("/login"), Anyone(Shown), Shown),
        new("/password", (_, _) => At("/password"), Anyone(Shown), Shown),
        new("/not-found", (_, _) => At("/not-found"), Anyone(Shown), Shown),
        // Where a refused role is sent: it says so with the status too.
        new("/error/{Code:int}", (_, _) => At("/error/403"), Anyone(new(HttpStatusCode.Forbidden)), new(HttpStatusCode.Forbidden)),

        new("/account", (_, _) => At("/account"), SignedIn()),
        new("/workbench", (_, _) => At("/workbench"), SignedIn()),
        new("/records", (_, _) => At("/records"),
            p => p == Persona.Anonymous ? SignIn : Shown with { Sees = MetadataScope.Contains(p) }),
        new("/records/{Id}", (w, _) => At($"/records/{w.RecordId}"), Knowing(MetadataScope)),
        new("/upload", (_, _) => At("/upload"), Roles([.. Officers, Persona.CustodianA])),

        // Written approvals: the requester, the deciding unit's heads and the auditors over that unit read one.
        new("/approvals", (_, _) => At("/approvals"), Roles(Heads)),
        new("/approvals/{Id}", async (w, _) => $"/approvals/{await GranteeViewsApprovalAsync(w)}", Knowing(Persona.GranteeView, Persona.HeadA, Persona.AuditorR)),
        new("/requests", (_, _) => At("/requests"), SignedIn()),

        // A fresh case of unit A with record X linked, as the API matrix makes it.
        new("/cases", (_, _) => At("/cases"), SignedIn()),
        new("/cases/{Number}", async (w, _) => $"/cases/{await AuthorizationMatrixTests.MatrixCaseAsync(w, linkX: true)}",
            Knowing(Persona.LegalOfficerA, Persona.HeadA, Persona.HeadR, Persona.OfficerA, Persona.InspectorA, Persona.AuditorR)),

        new("/compliance/late-saves", (_, _) => At("/compliance/late-saves"), Roles([.. Heads, Persona.InspectorA, .. Auditors])),
        new("/compliance/recorded-times", (_, _) => At("/compliance/recorded-times"), Roles([.. Heads, Persona.InspectorA, .. Auditors])),

        // A clip of record X: whoever may know record X exists may know its clips do.
        new("/derivatives/{Id}", async (w, _) => $"/derivatives/{await Derivatives.MatrixClips.OfRecordXAsync(w)}", Knowing(MetadataScope)),

        // Legal Officer A's package of record X is theirs alone.
        new("/exports", (_, _) => At("/exports"), SignedIn()),
        new("/exports/{Id}", async (w, _) => $"/exports/{await Exports.MatrixExports.OfRecordXAsync(w)}", Knowing(Persona.LegalOfficerA)),

        // The audit search and any ledger leaf's proof: auditors only, whatever their unit.
        new("/audit", (_, _) => At("/audit"), Roles(Auditors)),
        new("/audit/leaves/{Index:long}", (_, _) => At("/audit/leaves/0"), Roles(Auditors)),

        new("/retention", (_, _) => At("/retention"), Roles([Persona.Administrator, .. Heads, Persona.LegalOfficerA, Persona.InspectorA, .. Auditors])),

        // Enforcement sessions: record X's session is OfficerA's in unit A; a grant on a record opens no session.
        new("/inbox", (_, _) => At("/inbox"), Roles(Officers)),
        new("/no-recording", (_, _) => At("/no-recording"), Roles([.. Officers, .. Heads, Persona.InspectorA, .. Auditors])),
        new("/sessions", (_, _) => At("/sessions"), Roles(SessionRoles)),
        new("/sessions/{Id}", (w, _) => At($"/sessions/{w.SessionId}"),
            p => p is Persona.CustodianA or Persona.Administrator ? Refused
                : Knowing(Persona.OfficerA, Persona.HeadA, Persona.HeadR, Persona.InspectorA, Persona.LegalOfficerA, Persona.AuditorR)(p)),

        // Administration.
        new("/admin/users", (_, _) => At("/admin/users"), Roles(Persona.Administrator)),
        new("/admin/units", (_, _) => At("/admin/units"), Roles(Persona.Administrator)),
        new("/role-grants", (_, _) => At("/role-grants"), Roles([Persona.Administrator, .. Heads])),
    ];

    public static TheoryData<string, Persona> Cases()
    {
        var data = new TheoryData<string, Persona>();
        foreach (var row in Table)
            foreach (var persona in Enum.GetValues<Persona>())
                data.Add(row.Route, persona);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_persona_gets_exactly_the_pages_its_role_and_scope_allow(string route, Persona persona)
    {
        var row = Table.Single(r => r.Route == route);
        var expect = persona == Persona.Station ? row.Station ?? new(HttpStatusCode.Forbidden) : row.Expect(persona);
        var path = await row.Path(world, persona);
        using var client = world.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (persona == Persona.Station) request.Headers.Authorization = new("Bearer", world.Token(Persona.Station));
        else if (persona != Persona.Anonymous) request.Headers.Add("Cookie", await world.CookieAsync(persona));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.AbsolutePath : l.OriginalString.Split('?')[0]) : null;
        Assert.True(expect.Status == response.StatusCode && expect.RedirectTo == location,
            $"{persona} GET {path} ({route}): expected {(int)expect.Status}{(expect.RedirectTo is null ? "" : " → " + expect.RedirectTo)}, "
            + $"got {(int)response.StatusCode}{(location is null ? "" : " → " + location)}");
        if (expect.Sees is { } sees)
            Assert.True(sees == body.Contains($"data-record-id=\"{world.RecordId}\"", StringComparison.Ordinal),
                $"{persona} GET {path}: expected record X {(sees ? "listed" : "not listed")}");
    }

    [Fact]
    public void Every_page_route_is_in_the_matrix()
    {
        var routed = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<Microsoft.AspNetCore.Components.RouteAttribute>())
            .Select(r => r.Template)
            .ToHashSet();
        var covered = Table.Select(r => r.Route).ToHashSet();
        Assert.True(routed.SetEquals(covered),
            $"pages missing from the matrix: {string.Join(", ", routed.Except(covered))}; in the matrix but not routed: {string.Join(", ", covered.Except(routed))}");
    }
}
