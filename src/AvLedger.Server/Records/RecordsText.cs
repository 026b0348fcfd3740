namespace AvLedger.Server.Records;

/// <summary>Anchor for the records pages' resources (RecordsText.resx, RecordsText.en.resx).</summary>
public sealed class RecordsText;
