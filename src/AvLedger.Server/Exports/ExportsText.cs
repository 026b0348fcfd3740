namespace AvLedger.Server.Exports;

/// <summary>Anchor for the evidence export pages' resources (ExportsText.resx, ExportsText.en.resx).</summary>
public sealed class ExportsText;
