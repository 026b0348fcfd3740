namespace AvLedger.Core.Ledger;

/// <summary>The checkpoints this log signed, kept outside the database (an append-only file in the
/// state directory), so that someone who can edit the database cannot make the server forget what
/// it already signed.</summary>
public interface ISignedCheckpointLog
{
    /// <summary>The last signed note appended, or null when none was kept yet.</summary>
    string? Latest();

    /// <summary>Appends a signed note durably (flushed to disk) before it is published.</summary>
    void Append(string note);
}
