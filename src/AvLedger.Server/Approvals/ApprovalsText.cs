namespace AvLedger.Server.Approvals;

/// <summary>Anchor for the request and approval pages' resources (ApprovalsText.resx, ApprovalsText.en.resx).</summary>
public sealed class ApprovalsText;
