using System.Reflection;
using AvLedger.Core.Accounts;

namespace AvLedger.Server.Auth;

/// <summary>The signed-in account, loaded once per request when the token is validated.</summary>
public sealed class CurrentUser(Account account)
{
    internal const string ItemKey = "avledger.account";

    public Account Account { get; } = account;
    public string Id => Account.Id;

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Items[ItemKey] is Account a ? new CurrentUser(a) : null);

    public static implicit operator Account(CurrentUser user) => user.Account;
}
