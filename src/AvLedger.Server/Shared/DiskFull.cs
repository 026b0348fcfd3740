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
        http.Response.Headers.RetryAfter = "300";
        return Problems.Of(507, "disk-full", "存储空间已满", "Storage full",
            "服务器存储空间已满，本次数据未保存（已保存的不受影响）。请稍后重试，并通知系统管理员。",
            "The server's storage is full; this request's data was not stored (what was stored before is safe). Try again later and tell an administrator.");
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!Is(exception) || !Auth.WebSignIn.IsApi(httpContext.Request)) return false;
        httpContext.RequestServices.GetRequiredService<ILogger<DiskFull>>().LogError("Storage full while serving {Path}", httpContext.Request.Path);
        await Problem(httpContext).ExecuteAsync(httpContext);
        return true;
    }
}
