using System.Security.Cryptography;
using System.Xml.Linq;
using AvLedger.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace AvLedger.Server.Hosting;

/// <summary>The web's cookie and antiforgery keys, kept in the key dir and encrypted at rest with
/// AES-256-GCM under a key derived from the master key: a copy of the key files alone forges no
/// sign-in cookie. Nodes sharing the key dir and master key accept each other's cookies.</summary>
public static class DataProtectionKeys
{
    const string Purpose = "avledger/data-protection-keys";
    const string Element = "avledgerEncryptedKey";

    public static void Configure(KeyManagementOptions k, string keyDir, MasterKey masterKey)
    {
        var dir = SecretFile.PrivateDirectory(Path.Combine(keyDir, "web"));
        // Keys written before they were encrypted are dropped: everyone signs in once more.
        foreach (var file in Directory.EnumerateFiles(dir, "*.xml"))
            if (!File.ReadAllText(file).Contains("<encryptedSecret", StringComparison.Ordinal)) File.Delete(file);
        k.XmlRepository = new PrivateRepository(dir);
        k.XmlEncryptor = new Encryptor(masterKey);
    }

    /// <summary>The file system repository, with each key file made 0600 once written.</summary>
    sealed class PrivateRepository(string dir) : IXmlRepository
    {
        readonly FileSystemXmlRepository files = new(new DirectoryInfo(dir), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        public IReadOnlyCollection<XElement> GetAllElements() => files.GetAllElements();

        public void StoreElement(XElement element, string friendlyName)
        {
            files.StoreElement(element, friendlyName);
            foreach (var file in Directory.EnumerateFiles(dir, "*.xml")) SecretFile.OwnerOnlyFile(file);
        }
    }

    static byte[] KeyOf(MasterKey masterKey) => masterKey.Derive(Purpose);

    sealed class Encryptor(MasterKey masterKey) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
            var tag = new byte[AesGcm.TagByteSizes.MaxSize];
            var ciphertext = new byte[plaintext.Length];
            using (var aes = new AesGcm(KeyOf(masterKey), tag.Length))
                aes.Encrypt(nonce, plaintext, ciphertext, tag, System.Text.Encoding.UTF8.GetBytes(Purpose));
            CryptographicOperations.ZeroMemory(plaintext);
            var element = new XElement(Element,
                new XAttribute("masterKeyId", masterKey.Id),
                new XComment(" AES-256-GCM under a key derived from the AvLedger master key "),
                new XElement("nonce", Convert.ToBase64String(nonce)),
                new XElement("tag", Convert.ToBase64String(tag)),
                new XElement("ciphertext", Convert.ToBase64String(ciphertext)));
            return new EncryptedXmlInfo(element, typeof(Decryptor));
        }
    }

    /// <summary>Made by data protection itself from the type named in the key file, with the services.</summary>
    public sealed class Decryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var masterKey = services.GetRequiredService<MasterKey>();
            if ((string?)encryptedElement.Attribute("masterKeyId") != masterKey.Id)
                throw new CryptographicException("This data-protection key was encrypted under another master key.");
            var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
            var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
            var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("ciphertext")!);
            var plaintext = new byte[ciphertext.Length];
            using (var aes = new AesGcm(KeyOf(masterKey), tag.Length))
                aes.Decrypt(nonce, ciphertext, tag, plaintext, System.Text.Encoding.UTF8.GetBytes(Purpose));
            try
            {
                return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }
}
