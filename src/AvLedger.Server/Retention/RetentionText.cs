namespace AvLedger.Server.Retention;

/// <summary>Anchor for the retention page's resources (RetentionText.resx, RetentionText.en.resx).</summary>
public sealed class RetentionText;
