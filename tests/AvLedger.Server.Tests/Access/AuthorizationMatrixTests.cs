using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Access;

/// <summary>The people of the matrix: a root unit R with two branches A and B.</summary>
public enum Persona
{
    Anonymous, OfficerA, OfficerB, HeadA, HeadR, HeadB, InspectorA, LegalOfficerA, AuditorR, AuditorB, CustodianA, Administrator,
    /// <summary>Officers elsewhere holding a grant on record X: to view, to copy, expired, revoked.</summary>
    GranteeView, GranteeCopy, GranteeExpired, GranteeRevoked,
    /// <summary>Unit A's collection station, with its upload-only key.</summary>
    Station,
}

/// <summary>One world for the whole matrix, API and pages alike: the unit tree, one person per persona,
/// and record X, recorded by OfficerA in unit A.</summary>
public sealed class MatrixWorld : IAsyncLifetime
{
    public const string Collection = "authorization matrix";
    public SqliteFactory Factory { get; } = new();
    public string RecordId { get; private set; } = "";
    public string UnitA { get; private set; } = "";
    public string StationCode { get; private set; } = "";
    readonly Dictionary<Persona, string> tokens = [];
    readonly Dictionary<Persona, string> passwords = [];
    readonly Dictionary<Persona, string> usernames = [];
    readonly Dictionary<Persona, string> cookies = [];
    readonly SemaphoreSlim signingIn = new(1, 1);
    /// <summary>A request of OfficerB's for record X, left pending.</summary>
    public string PendingRequestId { get; private set; } = "";
    /// <summary>The session record X was grouped into (OfficerA's, unit A).</summary>
    public string SessionId { get; private set; } = "";
    int serial;

    public int Next() => Interlocked.Increment(ref serial);

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        var headR = await Factory.PersonAsync(Role.DepartmentHead);
        var officerA = await Factory.PersonAsync(Role.Officer, headR.UnitCode);
        var officerB = await Factory.PersonAsync(Role.Officer, headR.UnitCode);
        UnitA = officerA.UnitCode;
        var people = new Dictionary<Persona, AvLedgerFactory.Person>
        {
            [Persona.OfficerA] = officerA,
            [Persona.OfficerB] = officerB,
            [Persona.HeadR] = headR,
            [Persona.HeadA] = await Factory.ColleagueAsync(officerA, Role.DepartmentHead),
            [Persona.HeadB] = await Factory.ColleagueAsync(officerB, Role.DepartmentHead),
            [Persona.InspectorA] = await Factory.ColleagueAsync(officerA, Role.Inspector),
            [Persona.LegalOfficerA] = await Factory.ColleagueAsync(officerA, Role.LegalOfficer),
            [Persona.AuditorR] = await Factory.ColleagueAsync(headR, Role.Auditor),
            [Persona.AuditorB] = await Factory.ColleagueAsync(officerB, Role.Auditor),
            [Persona.CustodianA] = await Factory.ColleagueAsync(officerA, Role.DeviceCustodian),
        };
        foreach (var grantee in new[] { Persona.GranteeView, Persona.GranteeCopy, Persona.GranteeExpired, Persona.GranteeRevoked })
            people[grantee] = await Factory.PersonAsync(Role.Officer, headR.UnitCode);
        foreach (var (persona, person) in people)
        {
            tokens[persona] = await Factory.TokenAsync(person.Username, person.Password);
            passwords[persona] = person.Password;
            usernames[persona] = person.Username;
        }
        tokens[Persona.Administrator] = await Factory.TokenAsync("admin", AvLedgerFactory.AdminPassword);
        passwords[Persona.Administrator] = AvLedgerFactory.AdminPassword;
        usernames[Persona.Administrator] = "admin";
        StationCode = "CJZ-MATRIX";
        using (var admin = Client(Persona.Administrator))
        {
            (await admin.PostAsJsonAsync("/api/v1/devices", new { code = StationCode, kind = "collectionStation", unitCode = UnitA })).EnsureSuccessStatusCode();
            tokens[Persona.Station] = await IssueStationKeyAsync(admin);
        }
        using var officer = Client(Persona.OfficerA);
        RecordId = (await Tus.UploadAsync(officer, await Tus.NewSampleAsync(2))).RecordId!;

        await GrantAsync(Persona.GranteeView, "view");
        await GrantAsync(Persona.GranteeCopy, "copy");
        var expired = await GrantAsync(Persona.GranteeExpired, "view");
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.AvLedgerDb>();
            await db.AccessGrants.Where(g => g.Id == expired)
                .ExecuteUpdateAsync(u => u.SetProperty(g => g.ExpiresAt, Factory.Clock.GetUtcNow().AddMinutes(-1)));
        }
        var revoked = await GrantAsync(Persona.GranteeRevoked, "copy");
        using (var head = Client(Persona.HeadA)) (await head.PostAsync($"/api/v1/access-grants/{revoked}/revoke", null)).EnsureSuccessStatusCode();
        PendingRequestId = await RequestAsync(Persona.OfficerB, "view");
        using (var doc = JsonDocument.Parse(await officer.GetStringAsync($"/api/v1/records/{RecordId}")))
            SessionId = doc.RootElement.GetProperty("sessionId").GetString()!;
        // Proofs need the record sequenced first.
        await Factory.WorkersIdleAsync();
    }

    public Task DisposeAsync() => Factory.DisposeAsync();

    public async Task<string> IssueStationKeyAsync(HttpClient by)
    {
        using var response = await by.PostAsync($"/api/v1/stations/{StationCode}/keys", null);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("key").GetString()!;
    }

    public async Task<string> StationKeyIdAsync()
    {
        using var admin = Client(Persona.Administrator);
        using var response = await admin.PostAsync($"/api/v1/stations/{StationCode}/keys", null);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    public string Password(Persona persona) => passwords.GetValueOrDefault(persona, "no-password-1");

    public string Username(Persona persona) => usernames[persona];

    /// <summary>The station's upload-only key, or a person's bearer token.</summary>
    public string Token(Persona persona) => tokens[persona];

    /// <summary>The persona's web session cookie ("name=value"), signed in once through the login form as a
    /// person would.</summary>
    public async Task<string> CookieAsync(Persona persona)
    {
        await signingIn.WaitAsync();
        try
        {
            if (cookies.TryGetValue(persona, out var cookie)) return cookie;
            using var browser = new Auth.CookieBrowser(Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }));
            using var posted = await browser.PostFormAsync("/login", new() { ["username"] = Username(persona), ["password"] = Password(persona) });
            if (!browser.Cookies.TryGetValue(Server.Auth.WebSignIn.CookieName, out var value))
                throw new InvalidOperationException($"{persona} could not sign in on the web: {(int)posted.StatusCode} {posted.Headers.Location}");
            return cookies[persona] = $"{Server.Auth.WebSignIn.CookieName}={value}";
        }
        finally
        {
            signingIn.Release();
        }
    }

    public async Task<string> RequestAsync(Persona requester, string kind)
    {
        using var client = Client(requester);
        return await RequestAsync(client, kind);
    }

    /// <summary>A request by <paramref name="persona"/> when it is OfficerB (whose own request it then is),
    /// else by a newcomer no other case looks at — so approvals made by the matrix open nothing it checks.</summary>
    public async Task<string> RequestForAsync(Persona persona, string kind)
    {
        if (persona == Persona.OfficerB) return await RequestAsync(Persona.OfficerB, kind);
        var newcomer = await Factory.PersonAsync(Role.Officer);
        using var client = Factory.ClientWith(await Factory.TokenAsync(newcomer.Username, newcomer.Password));
        return await RequestAsync(client, kind);
    }

    /// <summary>A provision by <paramref name="persona"/> if OfficerB, else by a newcomer.</summary>
    public async Task<string> ProvisionForAsync(Persona persona)
    {
        HttpClient client;
        if (persona == Persona.OfficerB) client = Client(Persona.OfficerB);
        else
        {
            var newcomer = await Factory.PersonAsync(Role.LegalOfficer);
            client = Factory.ClientWith(await Factory.TokenAsync(newcomer.Username, newcomer.Password));
        }
        using (client)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/provisions", new { recipientOrganisation = "法院", recipientPerson = "书记员", purpose = "举证", legalBasis = "法律", recordIds = new[] { RecordId } });
            response.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }
    }

    /// <summary>A provision Head A has put to Head R (the superior) for an opinion.</summary>
    public async Task<string> ConsultedProvisionAsync()
    {
        var id = await ProvisionForAsync(Persona.Administrator);
        using var head = Client(Persona.HeadA);
        (await head.PostAsync($"/api/v1/provisions/{id}/consult", null)).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>A confidentiality change of record X requested by OfficerA (pending, for Head A).</summary>
    public async Task<string> LevelChangeAsync()
    {
        using var owner = Client(Persona.OfficerA);
        using var response = await owner.PostAsJsonAsync($"/api/v1/records/{RecordId}/confidentiality", new { level = "personalPrivacy", reason = "矩阵" });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    async Task<string> RequestAsync(HttpClient client, string kind)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/access-requests", new { kind, reason = "矩阵测试", days = 5, recordIds = new[] { RecordId } });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Requests for <paramref name="grantee"/>, approved by Head A; returns the grant id.</summary>
    public async Task<string> GrantAsync(Persona grantee, string kind) => await ApproveAsync(await RequestAsync(grantee, kind));

    public async Task<string> ApproveAsync(string requestId)
    {
        using var head = Client(Persona.HeadA);
        using var response = await head.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/approve", new { opinion = "同意", password = Password(Persona.HeadA) });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("decisions")[0].GetProperty("grantId").GetString()!;
    }

    /// <summary>A fresh no-recording report of OfficerA's, waiting for a head.</summary>
    public async Task<string> NoRecordingReportAsync()
    {
        using var officer = Client(Persona.OfficerA);
        using var response = await officer.PostAsJsonAsync("/api/v1/no-recording-reports", new { activityType = "emergency", from = Factory.Clock.GetUtcNow().AddHours(-1), place = "矩阵", reason = "urgent", note = "矩阵" });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    public HttpClient Client(Persona persona) =>
        persona == Persona.Anonymous ? Factory.CreateClient() : Factory.ClientWith(tokens[persona]);
}

[CollectionDefinition(MatrixWorld.Collection)]
public sealed class MatrixCollection : ICollectionFixture<MatrixWorld>;

[Collection(MatrixWorld.Collection)]
public sealed class AuthorizationMatrixTests(MatrixWorld world)
{
    /// <summary>What a persona should get: a status, and for 404s which problem (so "no rendition"
    /// for someone in scope is not confused with "not yours").</summary>
    public sealed record Expect(HttpStatusCode Status, string? Code = null, bool? SeesRecordX = null);

    /// <summary>One endpoint: how to call it (setting up what it needs), and what each persona gets.</summary>
    /// <summary>One endpoint: how to call it, what each person gets, and what a station key gets
    /// (by default 403: a station's key opens nothing but uploads).</summary>
    public sealed record Row(string Method, string Route, Func<MatrixWorld, Persona, Task<HttpRequestMessage>> Request, Func<Persona, Expect> Expect, Expect? Station = null);

    static readonly Persona[] MetadataScope = [Persona.OfficerA, Persona.HeadA, Persona.HeadR, Persona.InspectorA, Persona.LegalOfficerA, Persona.AuditorR, Persona.GranteeView, Persona.GranteeCopy];
    static readonly Persona[] ContentScope = [Persona.OfficerA, Persona.HeadA, Persona.HeadR, Persona.InspectorA, Persona.LegalOfficerA, Persona.GranteeView, Persona.GranteeCopy];
    static readonly Persona[] CopyScope = [Persona.OfficerA, Persona.HeadA, Persona.HeadR, Persona.InspectorA, Persona.LegalOfficerA, Persona.GranteeCopy];
    static readonly Persona[] Auditors = [Persona.AuditorR, Persona.AuditorB];
    static readonly Persona[] Heads = [Persona.HeadA, Persona.HeadR, Persona.HeadB];
    static readonly Persona[] Uploaders = [Persona.OfficerA, Persona.OfficerB, Persona.CustodianA, Persona.GranteeView, Persona.GranteeCopy, Persona.GranteeExpired, Persona.GranteeRevoked];
    static readonly Persona[] SignedInPersonas = [.. Enum.GetValues<Persona>().Where(p => p is not (Persona.Anonymous or Persona.Station))];

    static Expect SignedIn(Persona p, HttpStatusCode ok) => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : new(ok);

    static Func<Persona, Expect> Only(Persona[] allowed, HttpStatusCode ok, HttpStatusCode denied = HttpStatusCode.Forbidden) =>
        p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : allowed.Contains(p) ? new(ok) : new(denied, denied == HttpStatusCode.NotFound ? "not-found" : null);

    static Func<Persona, Expect> Admin(HttpStatusCode ok) => Only([Persona.Administrator], ok);

    static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    static HttpRequestMessage Json(HttpMethod method, string path, object body) => new(method, path) { Content = JsonContent.Create(body) };

    static async Task<string> FreshUserAsync(MatrixWorld w)
    {
        var n = w.Next();
        using var admin = w.Client(Persona.Administrator);
        (await admin.PostAsJsonAsync("/api/v1/users", new { username = $"matrix-user-{n}", password = "matrix-pass-1", name = "矩阵", unitCode = w.UnitA, roles = new[] { "inspector" } })).EnsureSuccessStatusCode();
        return $"matrix-user-{n}";
    }

    /// <summary>A fresh person of unit A with an inspector's role proposed by a second administrator and
    /// pending (the matrix runs with a single administrator, whose own grants apply at once).</summary>
    static async Task<string> PendingGrantAsync(MatrixWorld w)
    {
        var n = w.Next();
        using (var admin = w.Client(Persona.Administrator))
        {
            (await admin.PostAsJsonAsync("/api/v1/users", new { username = "matrix-admin2", password = "matrix-pass-1", name = "第二管理员", roles = new[] { "systemAdministrator" } })).Dispose();
            (await admin.PostAsJsonAsync("/api/v1/users", new { username = $"matrix-grantee-{n}", password = "matrix-pass-1", name = "待授权", unitCode = w.UnitA, roles = new[] { "deviceCustodian" } })).EnsureSuccessStatusCode();
        }
        using var scope = w.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.AvLedgerDb>();
        var proposer = await db.Accounts.Where(a => a.Username == "matrix-admin2").Select(a => a.Id).SingleAsync();
        var subject = await db.Accounts.SingleAsync(a => a.Username == $"matrix-grantee-{n}");
        var grant = await RoleGrants.ProposeAsync(db, subject, Role.Inspector, false, proposer, w.Factory.Clock.GetUtcNow(), default);
        await db.SaveChangesAsync();
        return grant!.Id;
    }

    static async Task<string> FreshUnitAsync(MatrixWorld w)
    {
        var n = w.Next();
        using var admin = w.Client(Persona.Administrator);
        (await admin.PostAsJsonAsync("/api/v1/units", new { code = $"MX-{n}", name = "矩阵中队" })).EnsureSuccessStatusCode();
        return $"MX-{n}";
    }

    /// <summary>Who handles unit A's cases: its legal officer and the heads over it.</summary>
    static readonly Persona[] CaseHandlersOverA = [Persona.LegalOfficerA, Persona.HeadA, Persona.HeadR];

    /// <summary>A fresh case of unit A, entered by Legal Officer A, with record X linked when asked; returns its number.</summary>
    internal static async Task<string> MatrixCaseAsync(MatrixWorld w, bool linkX)
    {
        var number = $"MX-CASE-{w.Next()}";
        using var legal = w.Client(Persona.LegalOfficerA);
        (await legal.PostAsJsonAsync("/api/v1/cases", new { number, title = "矩阵案件", unitCode = w.UnitA })).EnsureSuccessStatusCode();
        if (linkX) (await legal.PostAsJsonAsync($"/api/v1/cases/{number}/links", new { recordId = w.RecordId })).EnsureSuccessStatusCode();
        return number;
    }

    /// <summary>The owner gets a fresh upload of their own (so mutating calls change nothing shared);
    /// everyone else is pointed at an upload of OfficerA's.</summary>
    static async Task<string> UploadLocationAsync(MatrixWorld w, Persona caller)
    {
        using var owner = w.Client(Persona.OfficerA);
        return await Tus.CreateOkAsync(owner, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
    }

    static Func<Persona, Expect> OwnerOnly(HttpStatusCode ok) =>
        p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : p == Persona.OfficerA ? new(ok) : new(HttpStatusCode.NotFound);

    public static readonly Row[] Table =
    [
        // A name per persona: unknown names are counted and lock like real ones.
        new("POST", "/api/v1/auth/token", (_, p) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/auth/token", new { username = $"nobody-token-{p}", password = "wrong-password-1" })),
            _ => new(HttpStatusCode.Unauthorized, "bad-credentials"), new(HttpStatusCode.Unauthorized, "bad-credentials")),
        new("POST", "/api/v1/auth/password", (_, p) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/auth/password", new { username = $"nobody-password-{p}", currentPassword = "wrong-password-1", newPassword = "another-pass-2" })),
            _ => new(HttpStatusCode.Unauthorized, "bad-credentials"), new(HttpStatusCode.Unauthorized, "bad-credentials")),
        new("POST", "/api/v1/auth/refresh", (_, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/auth/refresh", new { refreshToken = "not-a-refresh-token" })),
            _ => new(HttpStatusCode.Unauthorized, "refresh-invalid"), new(HttpStatusCode.Unauthorized, "refresh-invalid")),

        new("POST", "/api/v1/auth/totp", (_, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/totp")), Only(SignedInPersonas, HttpStatusCode.OK)),
        new("POST", "/api/v1/auth/totp/confirm", async (w, p) =>
        {
            // Enrolment started first, so every person gets the same answer: the code is wrong.
            if (p is not (Persona.Anonymous or Persona.Station)) { using var c = w.Client(p); (await c.PostAsync("/api/v1/auth/totp", null)).EnsureSuccessStatusCode(); }
            return Json(HttpMethod.Post, "/api/v1/auth/totp/confirm", new { code = "12345x" });
        }, p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : new(HttpStatusCode.BadRequest, "totp-invalid")),

        new("GET", "/api/v1/records", (_, _) => Get("/api/v1/records?pageSize=200"),
            p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : new(HttpStatusCode.OK, SeesRecordX: MetadataScope.Contains(p))),
        new("GET", "/api/v1/records/{id}", (w, _) => Get($"/api/v1/records/{w.RecordId}"), Only(MetadataScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/proof", (w, _) => Get($"/api/v1/records/{w.RecordId}/proof"), Only(MetadataScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/content", (w, _) => Get($"/api/v1/records/{w.RecordId}/content"), Only(CopyScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/watch/index.m3u8", (w, _) => Get($"/api/v1/records/{w.RecordId}/watch/index.m3u8"), Only(ContentScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/watch/{segment}", async (w, p) =>
            {
                // A segment exists only in the caller's own viewing: start one first where the caller may.
                using (var c = w.Client(p)) await c.GetAsync($"/api/v1/records/{w.RecordId}/watch/index.m3u8");
                return new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{w.RecordId}/watch/seg0.ts");
            }, Only(ContentScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/download", (w, _) => Get($"/api/v1/records/{w.RecordId}/download"), Only(CopyScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/thumbnail", (w, _) => Get($"/api/v1/records/{w.RecordId}/thumbnail"), Only(ContentScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/rendition", (w, _) => Get($"/api/v1/records/{w.RecordId}/rendition"),
            p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : new(HttpStatusCode.NotFound, CopyScope.Contains(p) ? "no-rendition" : "not-found")),

        new("GET", "/api/v1/ledger/checkpoint", (_, _) => Get("/api/v1/ledger/checkpoint"), p => SignedIn(p, HttpStatusCode.OK)),
        new("GET", "/api/v1/ledger/key", (_, _) => Get("/api/v1/ledger/key"), p => SignedIn(p, HttpStatusCode.OK)),
        new("GET", "/api/v1/ledger/leaves", (_, _) => Get("/api/v1/ledger/leaves?start=0&end=1"), Only(Auditors, HttpStatusCode.OK)),
        new("GET", "/api/v1/ledger/consistency", (_, _) => Get("/api/v1/ledger/consistency?first=1&second=1"), Only(Auditors, HttpStatusCode.OK)),
        new("GET", "/api/v1/audit/events", (_, _) => Get("/api/v1/audit/events"), Only(Auditors, HttpStatusCode.OK)),
        new("GET", "/api/v1/audit/search", (_, _) => Get("/api/v1/audit/search?action=record.view"), Only(Auditors, HttpStatusCode.OK)),
        new("GET", "/api/v1/audit/search.csv", (_, _) => Get("/api/v1/audit/search.csv?action=record.stored"), Only(Auditors, HttpStatusCode.OK)),
        new("GET", "/api/v1/ledger/leaves/{index:long}/proof", (_, _) => Get("/api/v1/ledger/leaves/0/proof"), Only(Auditors, HttpStatusCode.OK)),
        new("GET", "/api/v1/admin/alerts", (_, _) => Get("/api/v1/admin/alerts"), Only([.. Auditors, Persona.Administrator], HttpStatusCode.OK)),

        new("POST", "/api/v1/units", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/units", new { code = $"MXU-{w.Next()}", name = "新中队" })), Admin(HttpStatusCode.Created)),
        new("GET", "/api/v1/units", (_, _) => Get("/api/v1/units"), Admin(HttpStatusCode.OK)),
        new("PATCH", "/api/v1/units/{code}", async (w, _) => Json(HttpMethod.Patch, $"/api/v1/units/{await FreshUnitAsync(w)}", new { name = "改名中队" }), Admin(HttpStatusCode.NoContent)),
        new("POST", "/api/v1/units/{code}/disable", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/units/{await FreshUnitAsync(w)}/disable"), Admin(HttpStatusCode.NoContent)),

        new("POST", "/api/v1/users", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/users", new { username = $"mx-new-{w.Next()}", password = "matrix-pass-1", name = "新人", unitCode = w.UnitA, roles = new[] { "inspector" } })), Admin(HttpStatusCode.Created)),
        new("GET", "/api/v1/users", (_, _) => Get("/api/v1/users"), Admin(HttpStatusCode.OK)),
        new("PATCH", "/api/v1/users/{username}", async (w, _) => Json(HttpMethod.Patch, $"/api/v1/users/{await FreshUserAsync(w)}", new { roles = new[] { "inspector", "legalOfficer" } }), Admin(HttpStatusCode.OK)),
        new("POST", "/api/v1/users/{username}/disable", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{await FreshUserAsync(w)}/disable"), Admin(HttpStatusCode.NoContent)),
        new("POST", "/api/v1/users/{username}/enable", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{await FreshUserAsync(w)}/enable"), Admin(HttpStatusCode.NoContent)),
        new("POST", "/api/v1/users/{username}/password", async (w, _) => Json(HttpMethod.Post, $"/api/v1/users/{await FreshUserAsync(w)}/password", new { password = "reset-pass-12" }), Admin(HttpStatusCode.NoContent)),

        // Separation of duties: administrators and heads list what they may decide; another administrator or a
        // head of a unit above unit A confirms or refuses; a head of A itself, or of a sibling, does not learn it exists.
        new("GET", "/api/v1/role-grants", (_, _) => Get("/api/v1/role-grants"), Only([Persona.Administrator, .. Heads], HttpStatusCode.OK)),
        new("POST", "/api/v1/role-grants/{id}/confirm", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/role-grants/{await PendingGrantAsync(w)}/confirm"),
            p => p is Persona.HeadA or Persona.HeadB ? new(HttpStatusCode.NotFound, "not-found") : Only([Persona.Administrator, Persona.HeadR], HttpStatusCode.NoContent)(p)),
        new("POST", "/api/v1/role-grants/{id}/refuse", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/role-grants/{await PendingGrantAsync(w)}/refuse"),
            p => p is Persona.HeadA or Persona.HeadB ? new(HttpStatusCode.NotFound, "not-found") : Only([Persona.Administrator, Persona.HeadR], HttpStatusCode.NoContent)(p)),

        new("POST", "/api/v1/units/import", (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/v1/units/import")
            { Content = new StringContent($"code,name,parentCode\nMXI-{w.Next()},导入中队,\n", System.Text.Encoding.UTF8, "text/csv") }), Admin(HttpStatusCode.OK)),
        new("POST", "/api/v1/users/import", (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/v1/users/import")
            { Content = new StringContent($"username,password,badge,name,unitCode,roles\nmx-imp-{w.Next()},import-pass-1,,导入,{w.UnitA},inspector\n", System.Text.Encoding.UTF8, "text/csv") }), Admin(HttpStatusCode.OK)),
        new("GET", "/api/v1/devices", (_, _) => Get("/api/v1/devices"), Only([Persona.Administrator, Persona.CustodianA], HttpStatusCode.OK)),
        new("POST", "/api/v1/devices", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/devices", new { code = $"MXD-{w.Next()}", kind = "bodyWornRecorder", unitCode = w.UnitA })), Admin(HttpStatusCode.Created)),

        new("POST", "/api/v1/access-requests", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/access-requests", new { kind = "view", reason = "矩阵", days = 1, recordIds = new[] { w.RecordId } })),
            Only(SignedInPersonas, HttpStatusCode.Created)),
        new("GET", "/api/v1/access-requests", (_, _) => Get("/api/v1/access-requests"), Only(SignedInPersonas, HttpStatusCode.OK)),
        new("GET", "/api/v1/access-requests/{id}", (w, _) => Get($"/api/v1/access-requests/{w.PendingRequestId}"), Only([Persona.OfficerB, Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("POST", "/api/v1/access-requests/{id}/approve", async (w, p) => Json(HttpMethod.Post, $"/api/v1/access-requests/{await w.RequestForAsync(p, "view")}/approve", new { opinion = "同意", password = w.Password(p) }),
            p => p == Persona.OfficerB ? new(HttpStatusCode.Forbidden, "own-request") : Only([Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)(p)),
        new("POST", "/api/v1/access-requests/{id}/reject", async (w, p) => Json(HttpMethod.Post, $"/api/v1/access-requests/{await w.RequestForAsync(p, "copy")}/reject", new { opinion = "不同意", password = w.Password(p) }),
            p => p == Persona.OfficerB ? new(HttpStatusCode.Forbidden, "own-request") : Only([Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)(p)),
        // OfficerB revokes a grant of their own; everyone else tries a newcomer's.
        new("POST", "/api/v1/access-grants/{id}/revoke", async (w, p) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/access-grants/{await w.ApproveAsync(await w.RequestForAsync(p, "view"))}/revoke"),
            Only([Persona.OfficerB, Persona.HeadA], HttpStatusCode.NoContent, HttpStatusCode.NotFound)),
        new("POST", "/api/v1/provisions", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/provisions", new { recipientOrganisation = "法院", recipientPerson = "书记员", purpose = "举证", legalBasis = "法律", recordIds = new[] { w.RecordId } })),
            Only(SignedInPersonas, HttpStatusCode.Created)),
        new("GET", "/api/v1/provisions/{id}", async (w, p) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/provisions/{await w.ProvisionForAsync(p == Persona.OfficerB ? p : Persona.Administrator)}"),
            Only([Persona.OfficerB, Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("POST", "/api/v1/provisions/{id}/consult", async (w, p) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/provisions/{await w.ProvisionForAsync(p)}/consult"),
            Only([Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("POST", "/api/v1/provisions/{id}/consultation", async (w, p) => Json(HttpMethod.Post, $"/api/v1/provisions/{await w.ConsultedProvisionAsync()}/consultation", new { opinion = "可以", password = w.Password(p) }),
            Only([Persona.HeadR], HttpStatusCode.NoContent, HttpStatusCode.NotFound)),
        new("POST", "/api/v1/provisions/{id}/approve", async (w, p) => Json(HttpMethod.Post, $"/api/v1/provisions/{await w.ProvisionForAsync(p)}/approve", new { opinion = "同意", password = w.Password(p) }),
            p => p == Persona.OfficerB ? new(HttpStatusCode.Forbidden, "own-request") : Only([Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)(p)),
        new("POST", "/api/v1/provisions/{id}/reject", async (w, p) => Json(HttpMethod.Post, $"/api/v1/provisions/{await w.ProvisionForAsync(p)}/reject", new { opinion = "不同意", password = w.Password(p) }),
            p => p == Persona.OfficerB ? new(HttpStatusCode.Forbidden, "own-request") : Only([Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)(p)),
        // Record X is assigned: nobody can re-assign it; those who cannot see it are told nothing.
        new("POST", "/api/v1/records/{id}/assign", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/assign", new { officerBadge = "000000" })),
            Only(MetadataScope, HttpStatusCode.Conflict, HttpStatusCode.NotFound)),
        new("POST", "/api/v1/records/{id}/confidentiality", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/confidentiality", new { level = "commercialSecret", reason = "矩阵" })),
            Only(MetadataScope, HttpStatusCode.Created, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/confidentiality-changes", (_, _) => Get("/api/v1/confidentiality-changes"), Only(Heads, HttpStatusCode.OK)),
        // Rejections, so record X keeps its level for the other rows.
        new("POST", "/api/v1/confidentiality-changes/{id}/reject", async (w, p) => Json(HttpMethod.Post, $"/api/v1/confidentiality-changes/{await w.LevelChangeAsync()}/reject", new { opinion = "不同意", password = w.Password(p) }),
            p => p == Persona.HeadA ? new(HttpStatusCode.NoContent) : p is Persona.HeadR or Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        new("POST", "/api/v1/confidentiality-changes/{id}/approve", async (w, p) => Json(HttpMethod.Post, $"/api/v1/confidentiality-changes/{await w.LevelChangeAsync()}/approve", new { opinion = "同意", password = "wrong-password-0" }),
            p => p == Persona.HeadA ? new(HttpStatusCode.Forbidden, "confirmation-failed") : p is Persona.HeadR or Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        // Record X was saved in time: its officer is told no reason is needed; heads over it, that none was given.
        new("POST", "/api/v1/records/{id}/late-save-reason", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/late-save-reason", new { text = "矩阵" })),
            p => p == Persona.OfficerA ? new(HttpStatusCode.Conflict, "not-late") : Only(MetadataScope, HttpStatusCode.Forbidden, HttpStatusCode.NotFound)(p)),
        new("POST", "/api/v1/records/{id}/late-save-ack", (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/late-save-ack")),
            p => p is Persona.HeadA or Persona.HeadR ? new(HttpStatusCode.Conflict, "no-reason-yet") : p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        new("POST", "/api/v1/records/{id}/late-save-return", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/late-save-return", new { text = "矩阵" })),
            p => p is Persona.HeadA or Persona.HeadR ? new(HttpStatusCode.Conflict, "no-reason-yet") : p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        new("GET", "/api/v1/compliance/late-saves", (_, _) => Get("/api/v1/compliance/late-saves"), Only([.. Heads, Persona.InspectorA, .. Auditors], HttpStatusCode.OK)),
        // Record X's time is its media's own: heads over it are told it is settled; a head elsewhere does not learn of it.
        new("POST", "/api/v1/records/{id}/recorded-time", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/recorded-time", new { start = "2026-11-20T09:30:00+08:00" })),
            p => p is Persona.HeadA or Persona.HeadR ? new(HttpStatusCode.Conflict, "recorded-time-settled") : p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        new("GET", "/api/v1/compliance/recorded-times", (_, _) => Get("/api/v1/compliance/recorded-times"), Only([.. Heads, Persona.InspectorA, .. Auditors], HttpStatusCode.OK)),
        new("GET", "/api/v1/approvals", (_, _) => Get("/api/v1/approvals"), Only(Heads, HttpStatusCode.OK)),

        new("POST", "/api/v1/stations/{code}/keys", (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{w.StationCode}/keys")),
            Only([Persona.Administrator, Persona.CustodianA], HttpStatusCode.Created)),
        new("POST", "/api/v1/stations/{code}/keys/{id}/revoke", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{w.StationCode}/keys/{await w.StationKeyIdAsync()}/revoke"),
            Only([Persona.Administrator, Persona.CustodianA], HttpStatusCode.NoContent)),

        new("GET", "/api/v1/activity-types", (_, _) => Get("/api/v1/activity-types"), Only(SignedInPersonas, HttpStatusCode.OK)),
        new("POST", "/api/v1/sessions", (_, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/sessions", new { activityType = "inspection", title = "矩阵" })),
            Only([Persona.OfficerA, Persona.OfficerB, .. Heads, Persona.GranteeView, Persona.GranteeCopy, Persona.GranteeExpired, Persona.GranteeRevoked], HttpStatusCode.Created)),
        new("GET", "/api/v1/sessions", (_, _) => Get("/api/v1/sessions"), Only([.. SignedInPersonas.Except([Persona.CustodianA, Persona.Administrator])], HttpStatusCode.OK)),
        new("GET", "/api/v1/sessions/{id}", (w, _) => Get($"/api/v1/sessions/{w.SessionId}"), p => p is Persona.CustodianA or Persona.Administrator ? new(HttpStatusCode.Forbidden)
            : Only([Persona.OfficerA, Persona.HeadA, Persona.HeadR, Persona.InspectorA, Persona.LegalOfficerA, Persona.AuditorR], HttpStatusCode.OK, HttpStatusCode.NotFound)(p)),
        new("PATCH", "/api/v1/sessions/{id}", (w, _) => Task.FromResult(Json(HttpMethod.Patch, $"/api/v1/sessions/{w.SessionId}", new { location = "矩阵" })),
            p => p is Persona.CustodianA or Persona.Administrator ? new(HttpStatusCode.Forbidden) : p is Persona.InspectorA or Persona.LegalOfficerA or Persona.AuditorR ? new(HttpStatusCode.Forbidden, "not-your-session")
            : Only([Persona.OfficerA, Persona.HeadA, Persona.HeadR], HttpStatusCode.NoContent, HttpStatusCode.NotFound)(p)),
        new("POST", "/api/v1/sessions/{id}/interruptions", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/sessions/{w.SessionId}/interruptions", new { gapId = "1-2", reason = "battery", reportedTo = "nobody", documentNote = "矩阵" })),
            p => p is Persona.CustodianA or Persona.Administrator ? new(HttpStatusCode.Forbidden) : p == Persona.OfficerA ? new(HttpStatusCode.NotFound, "gap-not-found")
            : p is Persona.HeadA or Persona.HeadR or Persona.InspectorA or Persona.LegalOfficerA or Persona.AuditorR ? new(HttpStatusCode.Forbidden, "not-your-session") : Only([], HttpStatusCode.OK, HttpStatusCode.NotFound)(p)),
        new("GET", "/api/v1/inbox", (_, _) => Get("/api/v1/inbox"), Only(SignedInPersonas, HttpStatusCode.OK)),
        new("POST", "/api/v1/no-recording-reports", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/no-recording-reports", new { activityType = "emergency", from = w.Factory.Clock.GetUtcNow().AddHours(-1), place = "矩阵", reason = "noDevice", note = "矩阵" })),
            Only([Persona.OfficerA, Persona.OfficerB, Persona.GranteeView, Persona.GranteeCopy, Persona.GranteeExpired, Persona.GranteeRevoked], HttpStatusCode.Created)),
        new("GET", "/api/v1/no-recording-reports", (_, _) => Get("/api/v1/no-recording-reports"), Only([.. SignedInPersonas.Except([Persona.LegalOfficerA, Persona.CustodianA, Persona.Administrator])], HttpStatusCode.OK)),
        new("POST", "/api/v1/no-recording-reports/{id}/ack", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/no-recording-reports/{await w.NoRecordingReportAsync()}/ack"),
            p => p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([Persona.HeadA, Persona.HeadR], HttpStatusCode.NoContent)(p)),
        new("GET", "/api/v1/records/{id}/markers", (w, _) => Get($"/api/v1/records/{w.RecordId}/markers"), Only(MetadataScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("POST", "/api/v1/records/{id}/markers", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/markers", new { offsetSeconds = 0.5, category = "scene", note = "矩阵" })),
            p => p is Persona.AuditorR or Persona.GranteeView or Persona.GranteeCopy ? new(HttpStatusCode.Forbidden, "not-permitted-to-mark")
            : Only([Persona.OfficerA, Persona.HeadA, Persona.HeadR, Persona.InspectorA, Persona.LegalOfficerA], HttpStatusCode.Created, HttpStatusCode.NotFound)(p)),
        // Art. 3: clips are cut by those who may copy record X, and reached through it.
        new("POST", "/api/v1/records/{id}/clips", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/clips", new { start = 0, end = 1 })),
            Only(CopyScope, HttpStatusCode.Accepted, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/records/{id}/derivatives", (w, _) => Get($"/api/v1/records/{w.RecordId}/derivatives"), Only(MetadataScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/derivatives/{id}", async (w, _) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/derivatives/{await Derivatives.MatrixClips.OfRecordXAsync(w)}"),
            Only(MetadataScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/derivatives/{id}/content", async (w, _) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/derivatives/{await Derivatives.MatrixClips.OfRecordXAsync(w)}/content"),
            Only(CopyScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/derivatives/{id}/view", async (w, _) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/derivatives/{await Derivatives.MatrixClips.OfRecordXAsync(w)}/view"),
            Only(CopyScope, HttpStatusCode.OK, HttpStatusCode.NotFound)),
        // Cases: a fresh case of unit A for each call, with record X linked unless the row links it itself.
        new("POST", "/api/v1/cases", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/cases", new { number = $"MX-CASE-{w.Next()}", title = "矩阵案件", unitCode = w.UnitA })),
            p => p == Persona.HeadB ? new(HttpStatusCode.BadRequest, "case-invalid") : Only(CaseHandlersOverA, HttpStatusCode.Created)(p)),
        new("GET", "/api/v1/cases", (_, _) => Get("/api/v1/cases"), Only(SignedInPersonas, HttpStatusCode.OK)),
        new("GET", "/api/v1/cases/{number}", async (w, _) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{await MatrixCaseAsync(w, linkX: true)}"),
            Only([.. CaseHandlersOverA, Persona.OfficerA, Persona.InspectorA, Persona.AuditorR], HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("PATCH", "/api/v1/cases/{number}", async (w, _) => Json(HttpMethod.Patch, $"/api/v1/cases/{await MatrixCaseAsync(w, linkX: true)}", new { status = "closed" }),
            p => p == Persona.HeadB ? new(HttpStatusCode.NotFound, "not-found") : Only(CaseHandlersOverA, HttpStatusCode.OK)(p)),
        new("POST", "/api/v1/cases/{number}/links", async (w, _) => Json(HttpMethod.Post, $"/api/v1/cases/{await MatrixCaseAsync(w, linkX: false)}/links", new { recordId = w.RecordId }),
            p => p == Persona.HeadB ? new(HttpStatusCode.NotFound, "not-found") : Only(CaseHandlersOverA, HttpStatusCode.Created)(p)),
        new("POST", "/api/v1/cases/import", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/cases/import", new[] { new { number = $"MX-IMP-{w.Next()}", title = "导入案件", unitCode = w.UnitA } })),
            Only([Persona.LegalOfficerA, Persona.Administrator], HttpStatusCode.OK)),
        new("POST", "/api/v1/enforcement-events/import", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/enforcement-events/import",
            new[] { new { officerBadge = "000000", start = "2026-11-20T09:00:00+08:00", end = "2026-11-20T10:00:00+08:00", caseNumber = $"MX-EV-{w.Next()}" } })),
            Only([Persona.LegalOfficerA, Persona.Administrator], HttpStatusCode.OK)),
        // Retention (Art. 13). Heads and legal officers over record X's unit keep it; a head decides purges in writing.
        new("GET", "/api/v1/retention/categories", (_, _) => Get("/api/v1/retention/categories"), p => SignedIn(p, HttpStatusCode.OK)),
        new("PUT", "/api/v1/retention/categories/{code}", (_, _) => Task.FromResult(Json(HttpMethod.Put, "/api/v1/retention/categories/general", new { name = "一般", days = 180, disabled = false })),
            Admin(HttpStatusCode.OK)),
        new("POST", "/api/v1/records/{id}/retention", (w, _) => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/records/{w.RecordId}/retention", new { categories = new[] { "general" } })),
            p => p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([Persona.HeadA, Persona.HeadR, Persona.LegalOfficerA], HttpStatusCode.OK)(p)),
        new("GET", "/api/v1/legal-holds", (_, _) => Get("/api/v1/legal-holds"), Only([.. Heads, Persona.LegalOfficerA, Persona.InspectorA, .. Auditors], HttpStatusCode.OK)),
        new("POST", "/api/v1/legal-holds", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/legal-holds", new { recordId = w.RecordId, reason = "矩阵" })),
            p => p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([Persona.HeadA, Persona.HeadR, Persona.LegalOfficerA], HttpStatusCode.Created)(p)),
        new("POST", "/api/v1/legal-holds/{id}/release", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/legal-holds/{await Retention.RetentionMatrix.HoldAsync(w)}/release"),
            p => p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([Persona.HeadA, Persona.HeadR, Persona.LegalOfficerA], HttpStatusCode.NoContent)(p)),
        new("GET", "/api/v1/purge-proposals", (_, _) => Get("/api/v1/purge-proposals"), Only([.. Heads, Persona.InspectorA, .. Auditors], HttpStatusCode.OK)),
        // Record X is within its period: a head over it is told so, and the proposal is withdrawn.
        new("POST", "/api/v1/purge-proposals/{id}/approve", async (w, p) => Json(HttpMethod.Post, $"/api/v1/purge-proposals/{await Retention.RetentionMatrix.ProposalAsync(w, Core.Retention.PurgeState.Proposed)}/approve", new { opinion = "同意", password = w.Password(p) }),
            p => p is Persona.HeadA or Persona.HeadR ? new(HttpStatusCode.Conflict, "retention-not-expired") : p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        new("POST", "/api/v1/purge-proposals/{id}/reject", async (w, p) => Json(HttpMethod.Post, $"/api/v1/purge-proposals/{await Retention.RetentionMatrix.ProposalAsync(w, Core.Retention.PurgeState.Proposed)}/reject", new { opinion = "不同意", password = w.Password(p) }),
            p => p is Persona.HeadA or Persona.HeadR ? new(HttpStatusCode.OK) : p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        new("POST", "/api/v1/purge-proposals/{id}/cancel", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/purge-proposals/{await Retention.RetentionMatrix.ProposalAsync(w, Core.Retention.PurgeState.Approved)}/cancel"),
            p => p is Persona.HeadA or Persona.HeadR ? new(HttpStatusCode.NoContent) : p == Persona.HeadB ? new(HttpStatusCode.NotFound) : Only([], HttpStatusCode.OK)(p)),
        // Never deleted: those who may know record X exists are told so; for everyone else it does not exist.
        new("DELETE", "/api/v1/records/{id}", (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/records/{w.RecordId}")),
            p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : MetadataScope.Contains(p) ? new(HttpStatusCode.MethodNotAllowed, "records-are-never-deleted") : new(HttpStatusCode.NotFound, "not-found")),

        // Evidence exports: a legal officer within scope, or under an approved provision of one's own; the package is its requester's alone.
        new("POST", "/api/v1/exports", (w, _) => Task.FromResult(Json(HttpMethod.Post, "/api/v1/exports", new { recordIds = new[] { w.RecordId }, purpose = "矩阵" })),
            p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : p == Persona.LegalOfficerA ? new(HttpStatusCode.Accepted) : new(HttpStatusCode.Forbidden, "export-not-permitted")),
        new("GET", "/api/v1/exports", (_, _) => Get("/api/v1/exports"), Only(SignedInPersonas, HttpStatusCode.OK)),
        new("GET", "/api/v1/exports/{id}", async (w, _) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{await Exports.MatrixExports.OfRecordXAsync(w)}"),
            Only([Persona.LegalOfficerA], HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/exports/{id}/download", async (w, _) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{await Exports.MatrixExports.OfRecordXAsync(w)}/download"),
            Only([Persona.LegalOfficerA], HttpStatusCode.OK, HttpStatusCode.NotFound)),
        // An internal export has no recipient and so no receipt; for anyone else it does not exist.
        new("POST", "/api/v1/exports/{id}/receipt", async (w, _) => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/exports/{await Exports.MatrixExports.OfRecordXAsync(w)}/receipt")
            { Content = new ByteArrayContent("%PDF-1.4"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } } },
            p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : p == Persona.LegalOfficerA ? new(HttpStatusCode.Conflict, "no-receipt-expected") : new(HttpStatusCode.NotFound, "not-found")),
        new("GET", "/api/v1/exports/{id}/receipt", async (w, _) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/exports/{await Exports.MatrixExports.OfRecordXAsync(w)}/receipt"),
            Only([], HttpStatusCode.OK, HttpStatusCode.NotFound)),
        new("GET", "/api/v1/provisions/{id}/exports", async (w, p) => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/provisions/{await w.ProvisionForAsync(p == Persona.OfficerB ? p : Persona.Administrator)}/exports"),
            Only([Persona.OfficerB, Persona.HeadA], HttpStatusCode.OK, HttpStatusCode.NotFound)),

        new("OPTIONS", "/api/v1/uploads", (_, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Options, "/api/v1/uploads")), _ => new(HttpStatusCode.NoContent), new(HttpStatusCode.NoContent)),
        new("POST", "/api/v1/uploads", async (w, p) =>
        {
            var file = System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024);
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads") { Content = new ByteArrayContent([]) };
            request.Headers.Add("Tus-Resumable", "1.0.0");
            request.Headers.Add("Upload-Length", file.Length.ToString(CultureInfo.InvariantCulture));
            // Every upload names a registered device the uploader may name; those who may not upload name the station.
            string device;
            if (Uploaders.Contains(p) || p == Persona.Station) { using var c = w.Client(p); device = await Tus.DefaultDeviceAsync(c); }
            else device = w.StationCode;
            request.Headers.Add("Upload-Metadata", Tus.Metadata(("filename", "m.mp4"), ("sha256", Tus.Sha256(file)), ("deviceCode", device)));
            return request;
        }, Only(Uploaders, HttpStatusCode.Created), new(HttpStatusCode.Created)),
        new("GET", "/api/v1/uploads/devices", (_, _) => Get("/api/v1/uploads/devices"), Only(Uploaders, HttpStatusCode.OK), new(HttpStatusCode.OK)),
        new("HEAD", "/api/v1/uploads/{id}", async (w, p) => Tus.Request(HttpMethod.Head, await UploadLocationAsync(w, p)), OwnerOnly(HttpStatusCode.OK), new(HttpStatusCode.NotFound)),
        new("GET", "/api/v1/uploads/{id}", async (w, p) => Tus.Request(HttpMethod.Get, await UploadLocationAsync(w, p)), OwnerOnly(HttpStatusCode.OK), new(HttpStatusCode.NotFound)),
        new("DELETE", "/api/v1/uploads/{id}", async (w, p) => Tus.Request(HttpMethod.Delete, await UploadLocationAsync(w, p)), OwnerOnly(HttpStatusCode.NoContent), new(HttpStatusCode.NotFound)),
        new("PATCH", "/api/v1/uploads/{id}", async (w, p) =>
        {
            var request = Tus.Request(HttpMethod.Patch, await UploadLocationAsync(w, p));
            request.Headers.Add("Upload-Offset", "0");
            request.Content = new ByteArrayContent(new byte[16]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            return request;
        }, p => p == Persona.Anonymous ? new(HttpStatusCode.Unauthorized) : p == Persona.OfficerA ? new(HttpStatusCode.NoContent) : new(HttpStatusCode.NotFound), new(HttpStatusCode.NotFound)),
    ];

    public static TheoryData<string, Persona> Cases()
    {
        var data = new TheoryData<string, Persona>();
        foreach (var row in Table)
            foreach (var persona in Enum.GetValues<Persona>())
                data.Add($"{row.Method} {row.Route}", persona);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_persona_gets_exactly_what_its_role_and_scope_allow(string endpoint, Persona persona)
    {
        var row = Table.Single(r => $"{r.Method} {r.Route}" == endpoint);
        var expect = persona == Persona.Station ? row.Station ?? new(HttpStatusCode.Forbidden) : row.Expect(persona);
        using var client = world.Client(persona);
        using var request = await row.Request(world, persona);
        using var response = await client.SendAsync(request);
        var body = request.Method == HttpMethod.Head ? "" : await response.Content.ReadAsStringAsync();
        Assert.True(expect.Status == response.StatusCode, $"{persona} {endpoint}: expected {(int)expect.Status}, got {(int)response.StatusCode} {body}");
        if (expect.Code is not null)
            Assert.Equal(expect.Code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        if (expect.SeesRecordX is { } sees)
            Assert.Equal(sees, JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == world.RecordId));
    }

    [Fact]
    public void Every_api_endpoint_is_in_the_matrix()
    {
        var mapped = world.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]) is var methods
                // HEAD beside GET runs the GET's handler under the GET's policy (RequestHygieneTests): its GET row covers it.
                ? methods.Where(m => m != "HEAD" || !methods.Contains("GET")).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}")
                : [])
            .ToHashSet();
        var covered = Table.Select(r => $"{r.Method} {r.Route}").ToHashSet();
        Assert.True(mapped.SetEquals(covered),
            $"missing from the matrix: {string.Join(", ", mapped.Except(covered))}; in the matrix but not mapped: {string.Join(", ", covered.Except(mapped))}");
    }
}
