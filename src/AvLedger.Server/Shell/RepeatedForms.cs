using System.Security.Claims;
using AvLedger.Core.Accounts;

namespace AvLedger.Server.Shell;

/// <summary>Every page form carries a one-time token (<see cref="OnceToken"/>). A form sent again with a token
/// already used — the browser's refresh after a post, a double click — is not handed to the page: the person
/// is sent back to the page, told it was already sent, and nothing is saved twice.</summary>
public static class RepeatedForms
{
    public const string Field = "once";
    public const string Notice = "resubmitted";

    public static IApplicationBuilder UseRepeatedFormGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // A form whose antiforgery token failed is the page's to refuse (400): its form may not even be read.
        if (HttpMethods.IsPost(http.Request.Method) && !Auth.WebSignIn.IsApi(http.Request) && http.User.FindFirstValue("sub") is { } accountId
            && http.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is not { IsValid: false }
            && http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (form[Field] is [{ } token])
            {
                var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (!await http.RequestServices.GetRequiredService<FormSubmissions>().ClaimAsync(accountId, token, now, http.RequestAborted))
                {
                    var query = QueryString.Create(http.Request.Query.Where(q => q.Key != Notice)
                        .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))).Append(new(Notice, "1")));
                    http.Response.StatusCode = StatusCodes.Status303SeeOther;
                    http.Response.Headers.Location = http.Request.PathBase + http.Request.Path + query;
                    return;
                }
            }
        }
        await next(http);
    });
}
