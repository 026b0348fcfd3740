using AvLedger.Ledger;
using AvLedger.Storage;

namespace AvLedger.Server.Ledger;

/// <summary>The checkpoint signing key: given by configuration, or made at first start in the
/// key dir (0600). Its name is the log's origin, which names the installation.</summary>
public static class LedgerKeys
{
    public static NoteSigner LoadOrCreate(AvLedgerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Ledger.SignerKey)) return new NoteSigner(options.Ledger.SignerKey.Trim());
        var path = Path.Combine(SecretFile.PrivateDirectory(options.KeyDir!), "ledger.key");
        if (File.Exists(path)) return new NoteSigner(File.ReadAllText(path).Trim());
        var signer = NoteSigner.Generate(options.Ledger.Origin ?? $"avledger/{options.NodeId}");
        SecretFile.WriteNew(path, signer.SignerKey + "\n");
        return signer;
    }
}

/// <summary>What the start-up check and the signing found; /healthz reports it. Once raised, the alarm
/// stands (and nothing is signed) until the server starts on a database that agrees with what it signed.</summary>
public sealed class LedgerHealth
{
    public IReadOnlyList<string> Problems { get; set; } = [];
    /// <summary>The tree size the sequencer reached while signing was withheld, if it grew since.</summary>
    public long? SizeNotSigned { get; set; }
}
