using System.Security.Cryptography;
using System.Text;
using AvLedger.Core.Accounts;
using AvLedger.Storage;

namespace AvLedger.Server.Auth;

/// <summary>TOTP secrets sealed with AES-GCM under a key derived from the master key.</summary>
public sealed class SecretBox(MasterKey master) : ISecretBox
{
    readonly byte[] key = master.Derive("avledger-totp-v1");

    public string Seal(string secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.ASCII.GetBytes(secret);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Open(string sealedSecret)
    {
        var all = Convert.FromBase64String(sealedSecret);
        var plain = new byte[all.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(28), all.AsSpan(12, 16), plain);
        return Encoding.ASCII.GetString(plain);
    }
}
