using AvLedger.Core.Refusals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AvLedger.Server.Shared;

/// <summary>A line of an import that cannot be taken, numbered as in what was sent (a CSV header is line 1).</summary>
public sealed record LineProblem(int Line, string Problem);

/// <summary>RFC 9457 problem details with a stable type, a Chinese title and detail, and the same in English.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string title, string titleEn, string? detail = null, string? detailEn = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = $"urn:avledger:problem:{code}",
            Title = title,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        problem.Extensions["titleEn"] = titleEn;
        if (detailEn is not null) problem.Extensions["detailEn"] = detailEn;
        return TypedResults.Problem(problem);
    }

    /// <summary>A use case's refusal as problem details, in the words of the refusal catalogue.</summary>
    public static ProblemHttpResult From(Refusal refusal)
    {
        var problem = new ProblemDetails
        {
            Status = refusal.Status,
            Type = $"urn:avledger:problem:{refusal.Code}",
            Title = refusal.Title(Refusal.Chinese),
            Detail = refusal.Detail(Refusal.Chinese),
        };
        problem.Extensions["code"] = refusal.Code;
        problem.Extensions["titleEn"] = refusal.Title(Refusal.English);
        if (refusal.Detail(Refusal.English) is { } detailEn) problem.Extensions["detailEn"] = detailEn;
        foreach (var (name, value) in refusal.Extensions ?? new Dictionary<string, object>()) problem.Extensions[name] = value;
        return TypedResults.Problem(problem);
    }

    /// <summary><see cref="From(Refusal)"/>, also telling the client when to ask again where the refusal says so.</summary>
    public static ProblemHttpResult From(Refusal refusal, HttpResponse response)
    {
        if (refusal.RetryAfter is { } after)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return From(refusal);
    }

    public static ProblemHttpResult NotFound() => From(Refusal.NotFound);

    public static ProblemHttpResult Unauthorized() => From(new Refusal(401, "unauthorized"));

    public static ProblemHttpResult Forbidden() => From(Refusal.Forbidden);

    /// <summary>An all-or-nothing import refused: nothing was stored, and every bad line is named.</summary>
    public static ProblemHttpResult ImportRefused(List<LineProblem> lines) =>
        From(ImportRefusal.Of(lines.Select(l => new ImportLine(l.Line, l.Problem)).ToList()));
}
