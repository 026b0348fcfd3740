using System.Reflection;
using AvLedger.Core.Accounts;
using AvLedger.Core.Scoping;

namespace AvLedger.Server.Auth;

/// <summary>The signed-in account, loaded once per request when the token is validated.</summary>
public sealed class CurrentUser(Account account, DateTimeOffset now)
{
    internal const string ItemKey = "avledger.account";

    internal const string StationPrefix = Account.StationPrefix;

    public Account Account { get; } = account;
    public string Id => Account.Id;
    /// <summary>What this person may reach, as of this request.</summary>
    public Scope Scope { get; } = new(account, now);
    /// <summary>A collection station signed in with its upload-only key.</summary>
    public bool IsStation => Scope.IsStation;

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Items[ItemKey] is Account a ? new CurrentUser(a, Now(context)) : null);

    /// <summary>For pages: the account the cookie (validated on this request) belongs to.</summary>
    public static CurrentUser Of(HttpContext context) =>
        context.Items[ItemKey] is Account a ? new CurrentUser(a, Now(context)) : throw new InvalidOperationException("No signed-in account on this request.");

    static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    public static implicit operator Account(CurrentUser user) => user.Account;
}
