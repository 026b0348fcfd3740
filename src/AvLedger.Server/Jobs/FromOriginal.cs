using System.Security.Cryptography;
using AvLedger.Storage;

namespace AvLedger.Server.Jobs;

/// <summary>The one path from a sealed original to a sealed derivative (clips, renditions, package
/// copies): the original is decrypted to a private file only for the media step and removed after it,
/// whatever happens; the step's output is hashed and sealed in the vault under the key it names.</summary>
public static class FromOriginal
{
    public sealed record Sealed(string Sha256, long Size);

    /// <summary>A derivative kept under its own hash (clips, package copies).</summary>
    public static async Task<Sealed> MakeAsync(RecordVault vault, string recordId, string originalSha256, string input, string output,
        Func<Task> step, Func<string, string> keyOf, CancellationToken ct)
    {
        await RunStepAsync(vault, recordId, originalSha256, input, step, ct);
        await using var made = File.OpenRead(output);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(made, ct));
        made.Position = 0;
        await vault.StoreDerivativeAsync(keyOf(sha), made, made.Length, ct);
        return new Sealed(sha, made.Length);
    }

    /// <summary>A derivative kept under a key known beforehand (a rendition, named by its original): no hashing pass over the output.</summary>
    public static async Task MakeAsync(RecordVault vault, string recordId, string originalSha256, string input, string output,
        Func<Task> step, string key, CancellationToken ct)
    {
        await RunStepAsync(vault, recordId, originalSha256, input, step, ct);
        await using var made = File.OpenRead(output);
        await vault.StoreDerivativeAsync(key, made, made.Length, ct);
    }

    static async Task RunStepAsync(RecordVault vault, string recordId, string originalSha256, string input, Func<Task> step, CancellationToken ct)
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
    }
}
