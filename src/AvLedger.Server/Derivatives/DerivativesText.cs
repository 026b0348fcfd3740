namespace AvLedger.Server.Derivatives;

/// <summary>Anchor for the derivative pages' resources (DerivativesText.resx, DerivativesText.en.resx).</summary>
public sealed class DerivativesText;
