using System.Reflection;
using AvLedger.Core.Accounts;

namespace AvLedger.Server.Auth;

/// <summary>The signed-in account, loaded once per request when the token is validated.</summary>
public sealed class CurrentUser(Account account)
{
    internal const string ItemKey = "avledger.account";

    internal const string StationPrefix = "station:";

    public Account Account { get; } = account;
    public string Id => Account.Id;
    /// <summary>A collection station signed in with its upload-only key.</summary>
    public bool IsStation => Account.Username.StartsWith(StationPrefix, StringComparison.Ordinal);

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Items[ItemKey] is Account a ? new CurrentUser(a) : null);

    /// <summary>For pages: the account the cookie (validated on this request) belongs to.</summary>
    public static CurrentUser Of(HttpContext context) =>
        context.Items[ItemKey] is Account a ? new CurrentUser(a) : throw new InvalidOperationException("No signed-in account on this request.");

    public static implicit operator Account(CurrentUser user) => user.Account;
}
