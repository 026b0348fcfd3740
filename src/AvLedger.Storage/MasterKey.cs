using System.Security.Cryptography;

namespace AvLedger.Storage;

/// <summary>The key that wraps every blob's data key. 32 bytes; never logged.</summary>
public sealed class MasterKey
{
    public const int Size = 32;
    const string FileName = "master.key";

    readonly byte[] key;

    public MasterKey(byte[] key)
    {
        if (key.Length != Size) throw new ArgumentException($"A master key is {Size} bytes.", nameof(key));
        this.key = key.ToArray();
        Id = Convert.ToHexStringLower(SHA256.HashData(this.key).AsSpan(0, 8));
    }

    /// <summary>A short fingerprint stored in blob headers so a wrong key is named, not guessed at.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Bytes => key;

    /// <summary>Uses <paramref name="configured"/> (base64) when given, else the key file under
    /// <paramref name="keyDir"/>, creating it (mode 0600) on first start.</summary>
    public static MasterKey LoadOrCreate(string keyDir, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(configured.Trim()); }
            catch (FormatException) { throw new InvalidOperationException("AVLEDGER_MASTER_KEY must be 32 bytes in base64."); }
            if (bytes.Length != Size) throw new InvalidOperationException("AVLEDGER_MASTER_KEY must be 32 bytes in base64.");
            return new MasterKey(bytes);
        }

        SecretFile.PrivateDirectory(keyDir);
        var path = Path.Combine(keyDir, FileName);
        if (File.Exists(path))
        {
            var bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (bytes.Length != Size) throw new InvalidOperationException($"{path} does not hold a 32-byte key.");
            return new MasterKey(bytes);
        }

        var fresh = RandomNumberGenerator.GetBytes(Size);
        SecretFile.WriteNew(path, Convert.ToBase64String(fresh) + "\n");
        return new MasterKey(fresh);
    }

    /// <summary>Derives a purpose-bound subkey (HKDF-SHA256), e.g. for token signing.</summary>
    public byte[] Derive(string purpose, int length = 32) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, length, info: System.Text.Encoding.UTF8.GetBytes(purpose));
}

public static class SecretFile
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> readable only by the owner (0700), or makes an existing one so:
    /// keys, state and the database are nobody else's to read.</summary>
    public static string PrivateDirectory(string path)
    {
        Directory.CreateDirectory(path, OwnerOnly);
        if (File.GetUnixFileMode(path) != OwnerOnly) File.SetUnixFileMode(path, OwnerOnly);
        return path;
    }

    /// <summary>Makes an existing file readable and writable by its owner only (0600).</summary>
    public static void OwnerOnlyFile(string path)
    {
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (File.Exists(path) && File.GetUnixFileMode(path) != mode) File.SetUnixFileMode(path, mode);
    }

    /// <summary>Creates a file readable only by the owner (0600), failing if it exists.</summary>
    public static void WriteNew(string path, string content)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
    }
}
