namespace AvLedger.Server.Shell;

/// <summary>Anchor for the shell's resources (ShellText.resx in Chinese, ShellText.en.resx in English).</summary>
public sealed class ShellText;
