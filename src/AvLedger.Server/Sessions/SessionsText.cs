namespace AvLedger.Server.Sessions;

/// <summary>Anchor for the session, inbox, no-recording, late-save and marker pages' resources.</summary>
public sealed class SessionsText;
