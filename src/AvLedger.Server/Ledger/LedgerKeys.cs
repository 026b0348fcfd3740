using AvLedger.Ledger;
using AvLedger.Server.Hosting;
using AvLedger.Storage;

namespace AvLedger.Server.Ledger;

/// <summary>The checkpoint signing key: given by configuration, or made at first start under the
/// data dir (0600). Its name is the log's origin, which names the installation.</summary>
public static class LedgerKeys
{
    public static NoteSigner LoadOrCreate(AvLedgerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Ledger.SignerKey)) return new NoteSigner(options.Ledger.SignerKey.Trim());
        var path = Path.Combine(options.DataDir, "keys", "ledger.key");
        if (File.Exists(path)) return new NoteSigner(File.ReadAllText(path).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var signer = NoteSigner.Generate(options.Ledger.Origin ?? $"avledger/{options.NodeId}");
        SecretFile.WriteNew(path, signer.SignerKey + "\n");
        return signer;
    }
}

/// <summary>What the start-up check found; /healthz reports it.</summary>
public sealed class LedgerHealth
{
    public IReadOnlyList<string> Problems { get; set; } = [];
}
