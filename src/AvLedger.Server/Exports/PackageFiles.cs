using System.Security.Cryptography;
using AvLedger.Core;
using AvLedger.Core.Exports;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Storage;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Exports;

/// <summary>Made packages are files under the data directory.</summary>
public sealed class PackageFiles(IOptions<AvLedgerOptions> options) : IPackageFiles
{
    public string PathOf(string exportId) => PackageBuilder.PackagePath(options.Value, exportId);
    public bool Exists(string exportId) => File.Exists(PathOf(exportId));
    public void Remove(string exportId) => File.Delete(PathOf(exportId));
}

/// <summary>Takes in a recipient's signed receipt: streamed to a private work file under the size limit,
/// hashed, sealed in the vault, then attached through <see cref="EvidenceExporting"/>. Nothing changes on refusal.</summary>
public sealed class ReceiptIntake(EvidenceExporting exporting, RecordVault vault, IOptions<AvLedgerOptions> options)
{
    public static string ReceiptKey(string sha256) => $"receipts/{sha256}";

    public async Task<Refusal?> StoreAsync(Scope actor, EvidenceExport x, Stream body, string? contentType, string? fileName, CancellationToken ct)
    {
        var type = EvidenceExporting.ReceiptType(x, contentType);
        if (type.Refusal is { } refused) return refused;
        var temp = options.Value.WorkPath($"receipt-{Ids.New()}");
        try
        {
            await using var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            var buffer = new byte[81920];
            int n;
            while ((n = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (file.Length + n > EvidenceExporting.MaxReceiptSize) return EvidenceExporting.ReceiptTooLarge;
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            if (file.Length == 0) return EvidenceExporting.ReceiptEmpty;
            file.Position = 0;
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            file.Position = 0;
            await vault.StoreDerivativeAsync(ReceiptKey(sha), file, file.Length, ct);
            await exporting.AttachReceiptAsync(actor, x, sha, file.Length, type.Value!, fileName, ct);
            return null;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
