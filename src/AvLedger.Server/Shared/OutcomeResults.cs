using AvLedger.Core.Refusals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Shared;

/// <summary>Use-case outcomes as typed HTTP results: the value, or the refusal as problem details.</summary>
public static class OutcomeResults
{
    public static Results<Ok<T>, ProblemHttpResult> AsOk<T>(this Outcome<T> outcome) =>
        outcome.Refusal is { } refused ? Problems.From(refused) : TypedResults.Ok(outcome.Value!);

    public static Results<Ok<TView>, ProblemHttpResult> AsOk<T, TView>(this Outcome<T> outcome, Func<T, TView> view) =>
        outcome.Refusal is { } refused ? Problems.From(refused) : TypedResults.Ok(view(outcome.Value!));

    public static Results<Created<TBody>, ProblemHttpResult> AsCreated<T, TBody>(this Outcome<T> outcome, Func<T, string> location, Func<T, TBody> body) =>
        outcome.Refusal is { } refused ? Problems.From(refused) : TypedResults.Created(location(outcome.Value!), body(outcome.Value!));

    public static Results<NoContent, ProblemHttpResult> AsNoContent(this Refusal? refusal) =>
        refusal is not null ? Problems.From(refusal) : TypedResults.NoContent();
}
