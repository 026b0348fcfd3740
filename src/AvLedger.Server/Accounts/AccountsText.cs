namespace AvLedger.Server.Accounts;

/// <summary>Anchor for the administration pages' resources (AccountsText.resx, AccountsText.en.resx).</summary>
public sealed class AccountsText;
