namespace AvLedger.Server.Ingest;

/// <summary>Anchor for the upload page's resources (UploadText.resx, UploadText.en.resx).</summary>
public sealed class UploadText;
