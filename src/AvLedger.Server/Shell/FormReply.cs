using AvLedger.Core.Refusals;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Shell;

/// <summary>What a page's form says after it called the API: the API's own refusal in the page's
/// language, or the page's success line (also for no result: nothing refused). A whole page also
/// answers with the refusal's status.</summary>
public static class FormReply
{
    public static (string Message, bool Failed) Of(IResult? result, string success, HttpResponse? page = null)
    {
        if (result is not ProblemHttpResult problem) return (success, false);
        Answer(page, problem.StatusCode);
        return (Describe(problem), true);
    }

    /// <summary>A use case's refusal in the page's language, or the success line; the page answers with its status.</summary>
    public static (string Message, bool Failed) Of(Refusal? refusal, string success, HttpResponse? page = null)
    {
        if (refusal is null) return (success, false);
        Answer(page, refusal.Status);
        return (refusal.Describe(), true);
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
