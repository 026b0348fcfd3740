namespace AvLedger.Server.Cases;

/// <summary>Anchor for the case pages' resources (CasesText.resx, CasesText.en.resx).</summary>
public sealed class CasesText;
