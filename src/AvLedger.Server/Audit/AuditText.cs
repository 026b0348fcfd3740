namespace AvLedger.Server.Audit;

/// <summary>Anchor for the audit pages' resources (AuditText.resx, AuditText.en.resx).</summary>
public sealed class AuditText;
