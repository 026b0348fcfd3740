using AvLedger.Core.Refusals;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Shell;

/// <summary>What a page's form says after it called the API: the API's own refusal in the page's
/// language, or the page's success line (also for no result: nothing refused). A whole page also
/// answers with the refusal's status.</summary>
public static class FormReply
{
    public static (string Message, bool Failed) Of(IResult? result, string success, HttpResponse? page = null)
    {
        if (result is not ProblemHttpResult problem)
        {
            if (page is not null) Saved(page, success);
            return (success, false);
        }
        Answer(page, problem.StatusCode);
        return (Describe(problem), true);
    }

    /// <summary>A use case's refusal in the page's language, or the success line; the page answers with its status.
    /// A form that saved is answered with a redirect to its page (<see cref="Saved"/>) unless <paramref name="redirect"/> is off.</summary>
    public static (string Message, bool Failed) Of(Refusal? refusal, string success, HttpResponse? page = null, bool redirect = true)
    {
        if (refusal is null)
        {
            if (redirect && page is not null) Saved(page, success);
            return (success, false);
        }
        Answer(page, refusal.Status);
        return (refusal.Describe(), true);
    }

    public const string FormField = "notice";
    public const string TextField = "said";
    static readonly TimeSpan NoticeLifetime = TimeSpan.FromMinutes(5);

    static ITimeLimitedDataProtector Sealer(IDataProtectionProvider protection) =>
        protection.CreateProtector("form reply: saved notice").ToTimeLimitedDataProtector();

    /// <summary>Post/redirect/get: a form that saved sends the browser back to its page with a fresh GET (303), so a
    /// refresh repeats nothing and the whole page, the menu's counts too, shows what is now stored. The success line
    /// travels in the address with the form's name, sealed so nobody can make a page say something else, for a few minutes.</summary>
    public static void Saved(HttpResponse page, string success)
    {
        var request = page.HttpContext.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType) return;
        var form = request.Form["_handler"].ToString();
        var seal = Sealer(page.HttpContext.RequestServices.GetRequiredService<IDataProtectionProvider>()).Protect(success, NoticeLifetime);
        var query = request.Query.Where(q => q.Key is not (FormField or TextField or RepeatedForms.Notice))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new(FormField, form)).Append(new(TextField, seal));
        page.StatusCode = StatusCodes.Status303SeeOther;
        page.Headers.Location = request.PathBase + request.Path + QueryString.Create(query);
        if (page.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
    }

    /// <summary>The success line a redirect carried, if it came from a form whose name starts with one of <paramref name="forms"/> (space-separated; empty: any).</summary>
    public static string? Carried(HttpContext http, string forms, IDataProtectionProvider protection)
    {
        if (http.Request.Query[FormField] is not [{ } form]
            || (forms.Length > 0 && !forms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(f => form.StartsWith(f, StringComparison.Ordinal)))
            || http.Request.Query[TextField] is not [{ } sealedText]) return null;
        try
        {
            return Sealer(protection).Unprotect(sealedText);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The page answers with the refusal's status but shows itself: the form and its message. A form
    /// naming something the person may not see answers 422, not 404: a 404 page is the error page (re-executed
    /// as /error/404, or left empty), and the form would be lost.</summary>
    static void Answer(HttpResponse? page, int status)
    {
        if (page is null) return;
        page.StatusCode = status == StatusCodes.Status404NotFound ? StatusCodes.Status422UnprocessableEntity : status;
        if (page.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
    }

    public static string Describe(ProblemHttpResult problem)
    {
        var details = problem.ProblemDetails;
        if (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh")
            return $"{details.Title}：{details.Detail}";
        details.Extensions.TryGetValue("titleEn", out var title);
        details.Extensions.TryGetValue("detailEn", out var detail);
        return $"{title ?? details.Title}: {detail ?? details.Detail}";
    }
}
