using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Shared;

/// <summary>A full disk is the operator's problem, not a bug: the client is told to come back later
/// (507 with Retry-After), and whoever wrote stops before anything is half-stored.</summary>
public sealed class DiskFull : IExceptionHandler
{
    const int Enospc = 28;
    const int WindowsDiskFull = unchecked((int)0x80070070);
    const int SqliteFull = 13;

    public static bool Is(Exception e) => e switch
    {
        IOException io => io.HResult is Enospc or WindowsDiskFull || (io.InnerException is { } inner && Is(inner)),
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
        _ => e.InnerException is { } cause && Is(cause),
    };

    public static ProblemHttpResult Problem(HttpContext http)
    {
        return Problems.From(new Core.Refusals.Refusal(507, "disk-full") { RetryAfter = TimeSpan.FromMinutes(5) }, http.Response);
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!Is(exception) || !Auth.WebSignIn.IsApi(httpContext.Request)) return false;
        httpContext.RequestServices.GetRequiredService<ILogger<DiskFull>>().LogError("Storage full while serving {Path}", httpContext.Request.Path);
        await Problem(httpContext).ExecuteAsync(httpContext);
        return true;
    }
}
