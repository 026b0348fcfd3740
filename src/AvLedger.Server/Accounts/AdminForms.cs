using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Accounts;

/// <summary>The administration pages show the API's own refusals, in the page's language.</summary>
public static class AdminForms
{
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
