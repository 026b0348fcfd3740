using System.Security.Cryptography;
using AvLedger.Storage;

namespace AvLedger.Server.Jobs;

/// <summary>The one path from a sealed original to a sealed derivative (clips, renditions, package
/// copies): the original is decrypted to a private file only for the media step and removed after it,
/// whatever happens; the step's output is hashed and sealed in the vault under the key it names.</summary>
public static class FromOriginal
{
    public sealed record Sealed(string Sha256, long Size);

    public static async Task<Sealed> MakeAsync(RecordVault vault, string recordId, string originalSha256, string input, string output,
        Func<Task> step, Func<string, string> keyOf, CancellationToken ct)
    {
        try
        {
            await JobWorker.DecryptOriginalAsync(vault, recordId, originalSha256, input, ct);
            await step();
        }
        finally
        {
            File.Delete(input);
        }
        await using var made = File.OpenRead(output);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(made, ct));
        made.Position = 0;
        await vault.StoreDerivativeAsync(keyOf(sha), made, made.Length, ct);
        return new Sealed(sha, made.Length);
    }
}
