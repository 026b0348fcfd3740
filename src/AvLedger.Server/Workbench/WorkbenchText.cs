namespace AvLedger.Server.Workbench;

/// <summary>Anchor for the landing page's resources.</summary>
public sealed class WorkbenchText;
