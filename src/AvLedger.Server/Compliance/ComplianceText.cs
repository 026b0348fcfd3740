namespace AvLedger.Server.Compliance;

/// <summary>Anchor for the compliance pages' resources (ComplianceText.resx, ComplianceText.en.resx).</summary>
public sealed class ComplianceText;
