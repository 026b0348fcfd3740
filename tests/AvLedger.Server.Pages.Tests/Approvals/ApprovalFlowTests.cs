using AvLedger.Core.Accounts;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AvLedger.Server.Tests.Approvals;

[Collection(BrowserCollection.Name)]
public sealed class ApprovalFlowTests(BrowserFactory factory)
{
    [Fact]
    public async Task An_officer_requests_the_head_approves_the_officer_watches_until_the_grant_expires()
    {
        var owner = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(owner, Role.DepartmentHead);
        using (var client = factory.ClientWith(await factory.TokenAsync(owner.Username, owner.Password)))
            Assert.Equal("stored", (await Tus.UploadAsync(client, await Tus.NewSampleAsync(4))).State);
        string recordId;
        using (var client = factory.ClientWith(await factory.TokenAsync(owner.Username, owner.Password)))
            recordId = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/v1/records")).RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;

        // An officer of another unit cannot see the record, and asks for it.
        var (officerPage, officer) = await factory.SignedInAsync();
        Assert.Equal(404, (await officerPage.GotoAsync($"/records/{recordId}"))!.Status);
        await officerPage.GotoAsync($"/requests?recordId={recordId}");
        await officerPage.FillAsync("input[name=days]", "2");
        await officerPage.FillAsync("textarea[name=reason]", "复核投诉，需查看当日现场录像");
        await officerPage.ClickAsync("form button[type=submit].primary");
        await officerPage.Locator("[data-testid=my-requests] tr[data-state=pending]").WaitForAsync();

        // The owning unit's head decides in the inbox, confirming with their password.
        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/approvals");
        var item = headPage.Locator("section[data-state=Pending]").First;
        Assert.Contains(officer.DisplayName, await item.TextContentAsync() ?? "", StringComparison.Ordinal);
        // The head decides with the record in view: whose it is, when, how long, and a way to play it first.
        var card = item.Locator($"[data-testid=approval-records] li[data-record-id='{recordId}']");
        Assert.Contains(owner.DisplayName, await card.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Contains("0:04", await card.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal($"/records/{recordId}", await card.Locator("[data-testid=play]").GetAttributeAsync("href"));
        Assert.Equal(200, (await (await headPage.Context.NewPageAsync()).GotoAsync($"/records/{recordId}"))!.Status);
        await item.Locator("textarea[name=opinion]").FillAsync("同意查看，限两日");
        await item.Locator("input[name=password]").FillAsync(head.Password);
        await BrowserFactory.ScreenshotAsync(headPage, "approvals");
        await item.Locator("button[value=approve]").ClickAsync();
        await headPage.Locator("section[data-state=Approved] a").WaitForAsync();
        await headPage.ClickAsync("section[data-state=Approved] a");
        Assert.Matches("音像审〔\\d{4}〕[1-9]\\d*号", await headPage.TextContentAsync("[data-testid=document-number]") ?? "");
        Assert.Contains("同意查看，限两日", await headPage.TextContentAsync("[data-testid=approval-document]") ?? "", StringComparison.Ordinal);
        await BrowserFactory.ScreenshotAsync(headPage, "approval-document");
        // It prints as a document: no navigation bar, no buttons.
        await headPage.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Print });
        Assert.False(await headPage.IsVisibleAsync(".topbar"));
        Assert.False(await headPage.IsVisibleAsync(".no-print"));
        Assert.True(await headPage.IsVisibleAsync(".seal-box"));
        await headPage.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Screen });

        // The officer now watches it: a view grant plays the officer's own watermarked stream, never the original.
        var requested = new System.Collections.Concurrent.ConcurrentQueue<string>();
        officerPage.Request += (_, r) => requested.Enqueue(new Uri(r.Url).AbsolutePath);
        await officerPage.GotoAsync($"/records/{recordId}");
        Assert.Equal($"/api/v1/records/{recordId}/watch/index.m3u8", await officerPage.GetAttributeAsync("#player", "data-watch"));
        await officerPage.WaitForFunctionAsync("() => document.querySelector('#player').readyState >= 2");
        await officerPage.EvalOnSelectorAsync("#player", "v => { v.muted = true; return v.play(); }");
        await officerPage.WaitForFunctionAsync("() => document.querySelector('#player').currentTime > 0.5");
        Assert.StartsWith("blob:", await officerPage.EvalOnSelectorAsync<string>("#player", "v => v.currentSrc"), StringComparison.Ordinal);
        Assert.Contains(requested, p => p.StartsWith($"/api/v1/records/{recordId}/watch/seg", StringComparison.Ordinal));
        Assert.DoesNotContain(requested, p => p.EndsWith("/content", StringComparison.Ordinal) || p.EndsWith("/download", StringComparison.Ordinal) || p.EndsWith("/rendition", StringComparison.Ordinal));
        Assert.Equal(0, await officerPage.Locator("[data-testid=download]").CountAsync());
        Assert.Equal(1, await officerPage.Locator("[data-testid=watch-label]").CountAsync());

        // Two days later (the session cookie has lapsed too, so the officer signs in again) the grant is over.
        factory.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await BrowserFactory.SignInAsync(officerPage, officer.Username, officer.Password);
        Assert.Equal(404, (await officerPage.GotoAsync($"/records/{recordId}"))!.Status);
    }

    [Fact]
    public async Task A_head_cannot_approve_without_the_right_password()
    {
        var owner = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(owner, Role.DepartmentHead);
        string recordId;
        using (var client = factory.ClientWith(await factory.TokenAsync(owner.Username, owner.Password)))
            recordId = (await Tus.UploadAsync(client, await Tus.NewSampleAsync(1))).RecordId!;
        var requester = await factory.PersonAsync();
        using (var client = factory.ClientWith(await factory.TokenAsync(requester.Username, requester.Password)))
            (await client.PostAsync("/api/v1/access-requests", System.Net.Http.Json.JsonContent.Create(new { kind = "view", reason = "核查", days = 1, recordIds = new[] { recordId } }))).EnsureSuccessStatusCode();
        var headPage = await factory.SignedInAsync(head);
        await headPage.GotoAsync("/approvals");
        var item = headPage.Locator("section[data-state=Pending]").First;
        await item.Locator("textarea[name=opinion]").FillAsync("同意");
        await item.Locator("input[name=password]").FillAsync("not-my-password-9");
        await item.Locator("button[value=approve]").ClickAsync();
        Assert.Contains("身份确认失败", await headPage.TextContentAsync("[data-testid=approvals-message]") ?? "", StringComparison.Ordinal);
        Assert.Equal(1, await headPage.Locator("section[data-state=Pending]").CountAsync());
    }

    /// <summary>Viewing is not copying, in the browser: a watermark can only be burned into a picture, so
    /// a person who may view but not copy an audio record gets the page's explanation, never a player
    /// of the original and never its bytes.</summary>
    [Fact]
    public async Task A_view_only_person_on_an_audio_record_page_gets_the_reason_and_no_player_or_bytes()
    {
        var owner = await factory.PersonAsync();
        var head = await factory.ColleagueAsync(owner, Role.DepartmentHead);
        var audio = Path.Combine(Path.GetTempPath(), $"avledger-audio-{Guid.NewGuid():N}.mp3");
        try
        {
            using (var ffmpeg = System.Diagnostics.Process.Start("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libmp3lame", audio])!)
            {
                await ffmpeg.WaitForExitAsync();
                Assert.True(ffmpeg.ExitCode == 0, "ffmpeg could not make the audio sample (is ffmpeg with libmp3lame installed?)");
            }
            string recordId;
            using (var client = factory.ClientWith(await factory.TokenAsync(owner.Username, owner.Password)))
                recordId = (await Tus.UploadAsync(client, await File.ReadAllBytesAsync(audio), fileName: "DSJ_20261120093000.mp3")).RecordId!;

            var (viewerPage, viewer) = await factory.SignedInAsync();
            string requestId;
            using (var client = factory.ClientWith(await factory.TokenAsync(viewer.Username, viewer.Password)))
            {
                using var asked = await client.PostAsync("/api/v1/access-requests", System.Net.Http.Json.JsonContent.Create(new { kind = "view", reason = "核查投诉", days = 1, recordIds = new[] { recordId } }));
                asked.EnsureSuccessStatusCode();
                requestId = System.Text.Json.JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            }
            using (var client = factory.ClientWith(await factory.TokenAsync(head.Username, head.Password)))
                (await client.PostAsync($"/api/v1/access-requests/{requestId}/approve", System.Net.Http.Json.JsonContent.Create(new { opinion = "同意查看", password = head.Password }))).EnsureSuccessStatusCode();

            var requested = new System.Collections.Concurrent.ConcurrentQueue<string>();
            viewerPage.Request += (_, r) => requested.Enqueue(new Uri(r.Url).AbsolutePath);
            Assert.Equal(200, (await viewerPage.GotoAsync($"/records/{recordId}"))!.Status);
            Assert.True(await viewerPage.IsVisibleAsync("[data-testid=watch-needs-picture]"));
            Assert.Contains("水印", await viewerPage.TextContentAsync("[data-testid=watch-needs-picture]") ?? "", StringComparison.Ordinal);
            Assert.Equal(0, await viewerPage.Locator("audio, video, #player").CountAsync());
            Assert.Equal(0, await viewerPage.Locator("[data-testid=download]").CountAsync());
            Assert.DoesNotContain(requested, p => p.StartsWith($"/api/v1/records/{recordId}/", StringComparison.Ordinal) && !p.EndsWith("/thumbnail", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(audio);
        }
    }
}
