using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Server.Retention;
using AvLedger.Server.Tests.Infrastructure;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AvLedger.Server.Tests.Shell;

/// <summary>Every page, as every role opens it, on a phone (390×844) and on a desktop: axe-core finds no serious
/// or critical WCAG 2.1 A/AA (or best-practice) problem, no page, table or player is wider than the phone's
/// screen, the menu is folded behind its button, nothing jumps the focus order, and no page answers with a
/// server error. test.sh runs this class as a stage of its own.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFactory factory, ITestOutputHelper output)
{
    const int PhoneWidth = 390, PhoneHeight = 844, DesktopWidth = 1366, DesktopHeight = 768;

    /// <summary>Every page the server has (its Blazor routes), so a page added later is walked too.</summary>
    static readonly string[] Templates = [.. typeof(AvLedger.Server.Shell.App).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>()).Select(r => r.Template).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The pages without a parameter, as a signed-in person asks for them (the sign-in page has a test of its own).</summary>
    static readonly string[] StaticRoutes = [.. Templates.Where(t => !t.Contains('{', StringComparison.Ordinal) && t != "/login")];

    /// <summary>WCAG 2.1 A and AA, and axe's best practices (landmarks, empty headers…): serious and critical
    /// findings of either fail, the others are printed.</summary>
    static readonly string[] AxeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

    /// <summary>axe-core from tests/e2e/node_modules (./test.sh runs npm ci there before the .NET tests).</summary>
    static readonly Lazy<string> AxeSource = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "tests", "e2e", "package.json"))) continue;
            var axe = Path.Combine(dir.FullName, "tests", "e2e", "node_modules", "axe-core", "axe.min.js");
            return File.Exists(axe) ? File.ReadAllText(axe)
                : throw new InvalidOperationException($"{axe} is missing: run `npm ci` in tests/e2e (./test.sh does it before the .NET tests).");
        }
        throw new InvalidOperationException($"no tests/e2e/package.json above {AppContext.BaseDirectory}: cannot find axe-core.");
    });

    sealed record World(Dictionary<Role, AvLedgerFactory.Person> People, List<string> DetailRoutes);

    static readonly SemaphoreSlim WorldGate = new(1, 1);
    static (BrowserFactory Factory, World World)? seeded;

    async Task<World> WorldAsync()
    {
        await WorldGate.WaitAsync();
        try
        {
            if (seeded is { } s && ReferenceEquals(s.Factory, factory)) return s.World;
            var world = await SeedAsync();
            seeded = (factory, world);
            return world;
        }
        finally
        {
            WorldGate.Release();
        }
    }

    /// <summary>One unit tree with a person of every role and something on every page: a grouped session with a
    /// gap, a late save, a key-content marker, a clip, a case with links, an evidence package, a pending and an
    /// approved access request, a pending provision, a purge proposal, a legal hold and a no-recording report.</summary>
    async Task<World> SeedAsync()
    {
        var inspector = await factory.PersonAsync(Role.Inspector);
        var head = await factory.PersonAsync(Role.DepartmentHead, inspector.UnitCode);
        var officer = await factory.ColleagueAsync(head, Role.Officer);
        var asker = await factory.ColleagueAsync(head, Role.Officer);
        var people = new Dictionary<Role, AvLedgerFactory.Person>
        {
            [Role.Officer] = officer,
            [Role.DepartmentHead] = head,
            [Role.Inspector] = inspector,
            [Role.LegalOfficer] = await factory.ColleagueAsync(head, Role.LegalOfficer),
            [Role.DeviceCustodian] = await factory.ColleagueAsync(head, Role.DeviceCustodian),
            [Role.Auditor] = await factory.ColleagueAsync(inspector, Role.Auditor),
            [Role.SystemAdministrator] = await factory.PersonAsync(Role.SystemAdministrator),
        };
        using var own = await factory.ClientAsync(officer);
        using var legal = await factory.ClientAsync(people[Role.LegalOfficer]);
        using var headClient = await factory.ClientAsync(head);
        using var askerClient = await factory.ClientAsync(asker);
        var now = factory.Clock.GetUtcNow();
        async Task<string> Upload(DateTimeOffset start) => (await Tus.UploadAsync(own, await Tus.NewSampleAsync(2, start))).RecordId!;
        var first = await Upload(now.AddMinutes(-40));
        var second = await Upload(now.AddMinutes(-35));
        var late = await Upload(now.AddDays(-3));
        var old = await Upload(now.AddDays(-200));
        using (var scope = factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<RetentionPass>().RunOnceAsync();
        string sessionId;
        using (var doc = JsonDocument.Parse(await own.GetStringAsync($"/api/v1/records/{first}")))
            sessionId = doc.RootElement.GetProperty("sessionId").GetString()!;

        async Task<JsonElement> Ok(Task<HttpResponseMessage> call)
        {
            using var answer = await call;
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, $"seeding {answer.RequestMessage?.RequestUri}: {(int)answer.StatusCode} {body}");
            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
        await Ok(own.PostAsJsonAsync($"/api/v1/records/{first}/markers", new { offsetSeconds = 1, category = "documentsAndMeasures", note = "向当事人送达责令改正通知书" }));
        var clip = (await Ok(own.PostAsJsonAsync($"/api/v1/records/{first}/clips", new { start = 0.2, end = 1.5 }))).GetProperty("id").GetString()!;
        await Ok(own.PostAsJsonAsync("/api/v1/no-recording-reports", new
        {
            activityType = "emergency", from = now.AddHours(-5), to = now.AddHours(-4.5), place = "朝天门码头", reason = "urgent",
            note = "突发客船滞留旅客疏散，来不及开启执法记录仪，已在笔录中注明",
        }));

        var number = $"渝交执罚〔2026〕{Random.Shared.Next(1000, 9999)}号";
        await Ok(legal.PostAsJsonAsync("/api/v1/cases", new { number, title = "重庆某物流有限公司超限运输案", type = "行政处罚", unitCode = head.UnitCode, plates = "渝A12345", parties = "重庆某物流有限公司" }));
        await Ok(legal.PostAsJsonAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}/links", new { recordId = first }));
        await Ok(legal.PostAsJsonAsync($"/api/v1/cases/{Uri.EscapeDataString(number)}/links", new { sessionId }));
        await Ok(legal.PostAsJsonAsync("/api/v1/legal-holds", new { recordId = first, reason = "行政复议期间保全证据" }));
        var export = (await Ok(legal.PostAsJsonAsync("/api/v1/exports", new { caseNumber = number, purpose = "案件移送法制审核" }))).GetProperty("id").GetString()!;
        await Ok(legal.PostAsJsonAsync("/api/v1/provisions", new
        {
            recipientOrganisation = "重庆市公安局交通管理局", recipientPerson = "李警官", purpose = "交通事故调查取证",
            legalBasis = "《中华人民共和国道路交通安全法》第七十二条", recordIds = new[] { second },
        }));

        var approved = (await Ok(askerClient.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "复核投诉，需查看当日现场录像", days = 3, recordIds = new[] { first } }))).GetProperty("id").GetString()!;
        await Ok(askerClient.PostAsJsonAsync("/api/v1/access-requests", new { kind = "view", reason = "联合执法复核", days = 2, recordIds = new[] { late } }));
        await Ok(headClient.PostAsJsonAsync($"/api/v1/access-requests/{approved}/approve", new { opinion = "同意查看，限三日", password = head.Password }));
        var decision = (await Ok(askerClient.GetAsync($"/api/v1/access-requests/{approved}"))).GetProperty("decisions")[0].GetProperty("id").GetString()!;

        // The package and the clip are made in the background; their pages are walked either way, ready is the usual sight.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (DateTimeOffset.UtcNow < deadline &&
               (await Ok(legal.GetAsync($"/api/v1/exports/{export}"))).GetProperty("state").GetString() is not ("ready" or "failed"))
            await Task.Delay(250);

        List<string> routes =
        [
            $"/records/{first}", $"/records/{second}", $"/records/{late}", $"/records/{old}", $"/sessions/{sessionId}",
            $"/cases/{Uri.EscapeDataString(number)}", $"/exports/{export}", $"/derivatives/{clip}", $"/approvals/{decision}",
            "/audit/leaves/0",
        ];
        // The leaf page proves against a signed checkpoint: wait until one covers what was just done.
        await factory.WorkersIdleAsync();
        return new World(people, routes);
    }

    [Fact]
    public async Task Every_page_with_a_parameter_is_walked_with_seeded_data()
    {
        var world = await WorldAsync();
        Assert.Contains("/records", StaticRoutes);
        Assert.All(Templates.Where(t => t.Contains('{', StringComparison.Ordinal) && !t.StartsWith("/error/", StringComparison.Ordinal)),
            t => Assert.Contains(world.DetailRoutes, r => r.StartsWith(t[..t.IndexOf('{', StringComparison.Ordinal)], StringComparison.Ordinal)));
    }

    public static TheoryData<Role> Roles() => new()
    {
        Role.Officer, Role.DepartmentHead, Role.Inspector, Role.LegalOfficer, Role.DeviceCustodian, Role.Auditor, Role.SystemAdministrator,
    };

    sealed record Finding(string Id, string Impact, string Help, string[] Tags, string[] Targets);

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_page_the_role_opens_passes_axe_fits_a_phone_and_answers_without_a_server_error(Role role)
    {
        var world = await WorldAsync();
        var watch = Stopwatch.StartNew();
        var person = world.People[role];
        var page = await factory.SignedInAsync(person, PhoneWidth, PhoneHeight);
        var failures = new List<string>();
        var opened = new List<string>();
        var notes = new StringBuilder();

        foreach (var route in StaticRoutes.Concat(world.DetailRoutes))
        {
            var response = await page.GotoAsync(route);
            var status = response?.Status ?? 0;
            if (status is 0 or >= 500) failures.Add($"{route}: status {status}");
            if (status != 200) continue;
            opened.Add(route);
            await CheckAsync(page, route, $"{PhoneWidth} px", failures, notes);

            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (width > PhoneWidth)
                failures.Add($"{route} at {PhoneWidth} px: the page is {width} px wide ({await WidestAsync(page)})");
            // A table or a player in a scrolling box does not widen the page, but it does not fit either.
            var cut = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('table, video, audio, img')]
                  .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                  .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} ${Math.round(e.getBoundingClientRect().width)} px`)
                """);
            if (cut.Length > 0) failures.Add($"{route} at {PhoneWidth} px: wider than the screen: {string.Join(", ", cut)}");
            if (await page.Locator("header nav").CountAsync() > 0)
            {
                if (await page.Locator("header nav").IsVisibleAsync()) failures.Add($"{route} at {PhoneWidth} px: the menu is not folded");
                if (!await page.Locator("[data-testid=menu-toggle]").IsVisibleAsync()) failures.Add($"{route} at {PhoneWidth} px: no menu button");
            }
        }
        Assert.Contains("/records", opened);

        // The records list says which column it is sorted by, and each thumbnail link says whose recording it is.
        await page.GotoAsync("/records?sort=size&dir=asc");
        Assert.Equal(["ascending"], await page.Locator("th[aria-sort]").EvaluateAllAsync<string[]>("hs => hs.map(h => h.getAttribute('aria-sort'))"));
        Assert.Contains("大小", await page.TextContentAsync("th[aria-sort]") ?? "", StringComparison.Ordinal);
        var thumbnails = await page.Locator("td.thumb a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('aria-label') ?? '')");
        Assert.All(thumbnails, name => Assert.Matches(@"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d 的(视频|音频|照片)$", name));
        if (role == Role.Officer)
        {
            Assert.Equal(4, thumbnails.Length);
            Assert.All(thumbnails, name => Assert.StartsWith(person.DisplayName + " ", name, StringComparison.Ordinal));
        }

        // The folded menu opens from the keyboard, and the open menu fits the screen and passes axe too.
        await page.GotoAsync("/records");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        Assert.True(await page.EvaluateAsync<bool>("() => { const r = document.activeElement.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.top >= 0; }"),
            "the focused skip link is off the screen");
        await page.Locator("[data-testid=menu-toggle]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.Locator("header nav").IsVisibleAsync(), "the menu button did not open the menu");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= PhoneWidth, "the open menu is wider than the screen");
        await CheckAsync(page, "/records (menu open)", $"{PhoneWidth} px", failures, notes);
        if (role == Role.Officer)
        {
            await BrowserFactory.ScreenshotAsync(page, "mobile-menu");
            foreach (var (name, route) in new[] { ("mobile-records", "/records"), ("mobile-record", world.DetailRoutes[0]), ("mobile-sessions", "/sessions"), ("mobile-session", world.DetailRoutes[4]) })
            {
                await page.GotoAsync(route);
                await BrowserFactory.ScreenshotAsync(page, name);
            }
        }
        if (role == Role.LegalOfficer)
        {
            await page.GotoAsync(world.DetailRoutes[5]);
            await page.Locator("[data-testid=case-links]").ScrollIntoViewIfNeededAsync();
            await BrowserFactory.ScreenshotAsync(page, "mobile-case");
        }

        // On a desktop, with every folded section (new case, provision, …) opened so that its form is checked too.
        await page.SetViewportSizeAsync(DesktopWidth, DesktopHeight);
        foreach (var route in opened)
        {
            var response = await page.GotoAsync(route);
            if ((response?.Status ?? 0) >= 500) failures.Add($"{route} at {DesktopWidth} px: status {response?.Status}");
            await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
            await CheckAsync(page, route, $"{DesktopWidth} px", failures, notes);
            if (!await page.Locator("header nav").IsVisibleAsync()) failures.Add($"{route} at {DesktopWidth} px: the menu is hidden");
        }
        // English words are longer than Chinese ones: the officer's pages fit the phone in English too.
        if (role == Role.Officer)
        {
            await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = "c=en|uic=en", Url = factory.BaseUrl }]);
            await page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
            foreach (var route in opened)
            {
                await page.GotoAsync(route);
                await CheckAsync(page, route + " (English)", $"{PhoneWidth} px", failures, notes);
                var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (width > PhoneWidth) failures.Add($"{route} (English) at {PhoneWidth} px: the page is {width} px wide ({await WidestAsync(page)})");
            }
            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        }
        await page.Context.CloseAsync();

        output.WriteLine($"{role} ({person.Username}): {opened.Count} pages at two widths in {watch.Elapsed.TotalSeconds:F1} s: {string.Join(' ', opened)}");
        output.WriteLine(notes.Length == 0 ? "no moderate or minor axe findings" : "moderate and minor axe findings (not failing):\n" + notes);
        Assert.True(failures.Count == 0, $"{role} ({person.Username}):\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task The_sign_in_and_error_pages_pass_axe_on_a_phone_and_a_desktop()
    {
        var page = await factory.NewPageAsync(PhoneWidth, PhoneHeight);
        var failures = new List<string>();
        var notes = new StringBuilder();
        Assert.Equal(200, (await page.GotoAsync("/login"))?.Status);
        await CheckAsync(page, "/login", $"{PhoneWidth} px", failures, notes);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= PhoneWidth, "the sign-in page is wider than the phone");
        await BrowserFactory.ScreenshotAsync(page, "mobile-login");
        foreach (var code in new[] { 403, 404, 500 })
        {
            Assert.Equal(code, (await page.GotoAsync($"/error/{code}"))?.Status);
            await CheckAsync(page, $"/error/{code}", $"{PhoneWidth} px", failures, notes);
        }
        await page.SetViewportSizeAsync(DesktopWidth, DesktopHeight);
        await page.GotoAsync("/login");
        await CheckAsync(page, "/login", $"{DesktopWidth} px", failures, notes);
        await page.Context.CloseAsync();
        output.WriteLine(notes.Length == 0 ? "no moderate or minor axe findings" : notes.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Runs axe on the page as it is; serious and critical findings fail, the others are noted. Also no
    /// positive tabindex, which would take the focus out of the reading order.</summary>
    static async Task CheckAsync(IPage page, string route, string width, List<string> failures, StringBuilder notes)
    {
        if (await page.EvaluateAsync<bool>("() => typeof window.axe === 'undefined'"))
            await page.EvaluateAsync("() => {\n" + AxeSource.Value + "\n}"); // not a script tag: the pages' CSP forbids inline scripts
        var json = await page.EvaluateAsync<string>("""
            async tags => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return JSON.stringify(result.violations.map(v => ({ id: v.id, impact: v.impact ?? 'minor', tags: v.tags, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) })));
            }
            """, AxeTags);
        foreach (var f in JsonSerializer.Deserialize<Finding[]>(json, JsonSerializerOptions.Web)!)
        {
            var line = $"{route} at {width}: axe {f.Impact} {f.Id}{(f.Tags.Contains("best-practice") ? " [best practice]" : "")} ({f.Help}) at {string.Join(", ", f.Targets.Take(5))}{(f.Targets.Length > 5 ? $" and {f.Targets.Length - 5} more" : "")}";
            if (f.Impact is "serious" or "critical") failures.Add(line);
            else notes.AppendLine(line);
        }
        var jumps = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0).map(e => e.outerHTML.slice(0, 80))");
        if (jumps.Length > 0) failures.Add($"{route} at {width}: positive tabindex on {string.Join(", ", jumps)}");
    }

    /// <summary>The elements that stick out past the screen's right edge, for the failure message.</summary>
    static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)
          .slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : ''} ${Math.round(e.getBoundingClientRect().width)} px`).join(', ')
        """);
}
