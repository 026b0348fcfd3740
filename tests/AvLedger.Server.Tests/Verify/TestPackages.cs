using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AvLedger.Ledger;

namespace AvLedger.Server.Tests.Verify;

/// <summary>A whole, consistent mini-ledger for tests: canonical JSON leaves, RFC 9162 tree, checkpoints
/// signed by a freshly generated key. It stands in for the server's ledger where a test needs leaves the
/// server cannot make yet (the export.sealed seal).</summary>
public sealed class TestLedger(string origin = "avledger.test/ledger")
{
    readonly List<byte[]> leaves = [];

    public NoteSigner Signer { get; } = NoteSigner.Generate("avledger-test");
    public string Origin { get; } = origin;
    public long Size => leaves.Count;

    public long Append(JsonObject leaf)
    {
        leaves.Add(CanonicalJson.Serialize(leaf));
        return leaves.Count - 1;
    }

    public byte[] Leaf(long index) => leaves[(int)index];

    public byte[] Root() => MerkleHash.Root([.. leaves.Select(l => MerkleHash.Leaf(l))]);

    public string SignedCheckpoint() => Signer.Sign(new Checkpoint(Origin, Size, Root()).ToBody());

    /// <summary>RFC 9162 §2.1.3.1 PATH(m, D[n]).</summary>
    public IReadOnlyList<byte[]> Proof(long index) => Path([.. leaves.Select(l => MerkleHash.Leaf(l))], (int)index);

    public static List<byte[]> Path(IReadOnlyList<byte[]> hashes, int m)
    {
        if (hashes.Count <= 1) return [];
        var k = 1;
        while (k * 2 < hashes.Count) k *= 2;
        var left = hashes.Take(k).ToList();
        var right = hashes.Skip(k).ToList();
        return m < k ? [.. Path(left, m), MerkleHash.Root(right)] : [.. Path(right, m - k), MerkleHash.Root(left)];
    }
}

/// <summary>Writes evidence packages exactly as docs/evidence-package.md lays them out (a test-side
/// writer: the server's exporter is built separately), and tampers with them.</summary>
public static class TestPackages
{
    public sealed record Original(string RecordId, string Extension, byte[] Content);

    public sealed record Built(string Zip, string PackageId, string VerifierKey, IReadOnlyList<Original> Originals, JsonObject Manifest);

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A package of two originals (one with custody entries), a viewing copy and the human files
    /// (README, report HTML and PDF, receipt form, verifier page), sealed in a mini-ledger with unrelated
    /// leaves around them, written as a ZIP in <paramref name="dir"/>. <paramref name="version"/> 1 writes the
    /// first package format (no formatVersion, the human files not in the manifest); with
    /// <paramref name="largeOriginal"/> the first original is that many bytes of a repeating pattern, streamed
    /// into the ZIP and never held in memory (ZIP64 beyond 4 GiB); <paramref name="change"/> edits the manifest
    /// before it is sealed.</summary>
    public static Built Mini(string dir, int originalBytes = 200_000, long? largeOriginal = null, int version = 2, Action<JsonObject>? change = null)
    {
        var ledger = new TestLedger();
        var at = new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
            ledger.Append(new JsonObject { ["kind"] = "user.login", ["v"] = 1, ["actor"] = $"U{i}", ["at"] = Time(at.AddMinutes(i)) });

        var originals = new List<Original>
        {
            new("01KREC0000000000000000000A", ".mp4", RandomNumberGenerator.GetBytes(originalBytes)),
            new("01KREC0000000000000000000B", ".mov", RandomNumberGenerator.GetBytes(1234)),
        };
        var records = new JsonArray();
        foreach (var o in originals)
        {
            var large = largeOriginal is not null && o == originals[0];
            var sha = large ? Hex(SHA256.HashData(new PatternStream(largeOriginal!.Value))) : Hex(SHA256.HashData(o.Content));
            var size = large ? largeOriginal!.Value : o.Content.Length;
            var stored = ledger.Append(new JsonObject
            {
                ["kind"] = "record.stored", ["v"] = 1, ["recordId"] = o.RecordId, ["sha256"] = sha, ["size"] = size,
                ["device"] = "DSJ-0001", ["officer"] = "500101", ["unit"] = "U1", ["recordedStart"] = Time(at), ["recordedEnd"] = Time(at.AddMinutes(1)),
                ["savedAt"] = Time(at.AddHours(1)), ["uploadChannel"] = "tus", ["uploadedBy"] = "U0",
            });
            ledger.Append(new JsonObject { ["kind"] = "user.login", ["v"] = 1, ["actor"] = "U9", ["at"] = Time(at) });
            var view = ledger.Append(new JsonObject { ["kind"] = "record.view", ["v"] = 1, ["eventId"] = "E" + o.RecordId, ["actor"] = "U1", ["recordId"] = o.RecordId, ["at"] = Time(at.AddHours(2)) });
            records.Add(new JsonObject
            {
                ["id"] = o.RecordId, ["path"] = $"originals/{o.RecordId}{o.Extension}", ["sha256"] = sha, ["size"] = size,
                ["fileName"] = "DSJ0001_20261127.MP4", ["deviceCode"] = "DSJ-0001", ["officerBadge"] = "500101", ["unitId"] = "U1",
                ["recordedStart"] = "2026-11-27T10:00:00+08:00", ["recordedEnd"] = "2026-11-27T10:01:00+08:00", ["savedAt"] = "2026-11-27T11:00:00+08:00",
                ["activityType"] = "traffic", ["sessionId"] = null, ["caseNumbers"] = new JsonArray("渝交罚〔2026〕1号"), ["ledgerIndex"] = stored,
                ["custody"] = new JsonArray(
                    new JsonObject { ["kind"] = "record.stored", ["at"] = "2026-11-27T11:00:00+08:00", ["actor"] = "U0", ["leafIndex"] = stored },
                    new JsonObject { ["kind"] = "record.view", ["at"] = "2026-11-27T12:00:00+08:00", ["actor"] = "U1", ["leafIndex"] = view }),
            });
        }
        var copy = Encoding.UTF8.GetBytes("watermarked viewing copy");
        var packageId = "01KPKG00000000000000000001";
        var human = new Dictionary<string, byte[]>
        {
            ["README.txt"] = Encoding.UTF8.GetBytes("证据包 / evidence package\n"),
            ["report/report.html"] = Encoding.UTF8.GetBytes("<!doctype html><title>电子数据证据清单</title><p>渝交罚〔2026〕1号</p>"),
            ["report/report.pdf"] = Encoding.ASCII.GetBytes("%PDF-1.4\n% evidence list\n%%EOF\n"),
            ["receipt/receipt.html"] = Encoding.UTF8.GetBytes("<!doctype html><title>证据包接收回执</title>"),
            ["verify/verify.html"] = Encoding.UTF8.GetBytes("<!doctype html><title>证据包核验</title>"),
        };
        var manifest = new JsonObject
        {
            ["format"] = $"avledger-evidence-package/{version}", ["packageId"] = packageId, ["createdAt"] = "2026-11-27T10:00:00+08:00",
            ["purpose"] = "移送法院", ["requester"] = new JsonObject { ["id"] = "U1", ["name"] = "张三", ["badge"] = "500101", ["unit"] = "一中队" },
            ["approver"] = null, ["recipient"] = new JsonObject { ["organisation"] = "重庆市某区人民法院", ["person"] = "李四", ["legalBasis"] = "调取证据通知书" },
            ["provisionId"] = null,
            ["ledger"] = new JsonObject { ["origin"] = ledger.Origin, ["treeSize"] = ledger.Size, ["keyName"] = ledger.Signer.Name },
            ["records"] = records,
            ["copies"] = new JsonArray(new JsonObject { ["recordId"] = originals[0].RecordId, ["path"] = $"copies/{originals[0].RecordId}-watermarked.mp4", ["sha256"] = Hex(SHA256.HashData(copy)), ["size"] = copy.Length, ["isRecord"] = false }),
        };
        if (version >= 2)
        {
            manifest["formatVersion"] = version;
            manifest["files"] = new JsonArray([.. human.Select(h => (JsonNode)new JsonObject { ["path"] = h.Key, ["sha256"] = Hex(SHA256.HashData(h.Value)), ["size"] = h.Value.Length })]);
        }
        change?.Invoke(manifest);
        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString(ManifestJson));
        var seal = ledger.Append(new JsonObject
        {
            ["kind"] = "export.sealed", ["v"] = 1, ["packageId"] = packageId, ["manifestSha256"] = Hex(SHA256.HashData(manifestBytes)),
            ["recordIds"] = new JsonArray([.. originals.Select(o => (JsonNode)o.RecordId)]), ["requester"] = "U1", ["at"] = Time(at.AddHours(3)),
        });
        ledger.Append(new JsonObject { ["kind"] = "user.login", ["v"] = 1, ["actor"] = "U3", ["at"] = Time(at.AddHours(4)) });

        var named = records.Select(r => r!["custody"]!.AsArray().Select(c => (long)c!["leafIndex"]!)).SelectMany(x => x).Append(seal).Distinct().Order();
        var files = new Dictionary<string, byte[]>(human)
        {
            ["manifest.json"] = manifestBytes,
            ["ledger/checkpoint.txt"] = Encoding.UTF8.GetBytes(ledger.SignedCheckpoint()),
            ["ledger/key.txt"] = Encoding.UTF8.GetBytes(ledger.Signer.VerifierKey + "\n"),
            ["ledger/proofs.json"] = Proofs(ledger.Size, ledger.Root(), named.Select(i => (i, ledger.Leaf(i), ledger.Proof(i)))),
            [$"copies/{originals[0].RecordId}-watermarked.mp4"] = copy,
        };
        var streamed = new Dictionary<string, Func<Stream>>();
        foreach (var o in originals)
            if (largeOriginal is not null && o == originals[0]) streamed[$"originals/{o.RecordId}{o.Extension}"] = () => new PatternStream(largeOriginal.Value);
            else files[$"originals/{o.RecordId}{o.Extension}"] = o.Content;
        var zip = System.IO.Path.Combine(dir, "evidence-package.zip");
        WriteZip(zip, files, streamed);
        return new Built(zip, packageId, ledger.Signer.VerifierKey, originals, manifest);
    }

    public static byte[] Proofs(long treeSize, byte[] root, IEnumerable<(long Index, byte[] Leaf, IReadOnlyList<byte[]> Hashes)> leaves) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            treeSize,
            rootHash = Convert.ToBase64String(root),
            leaves = leaves.Select(l => new { leafIndex = l.Index, leaf = Convert.ToBase64String(l.Leaf), hashes = l.Hashes.Select(Convert.ToBase64String) }),
        }, Indented);

    /// <summary>Stored (not deflated) entries, as the format asks for originals.</summary>
    public static void WriteZip(string path, IEnumerable<KeyValuePair<string, byte[]>> files, IReadOnlyDictionary<string, Func<Stream>>? streamed = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in files)
        {
            // A name ending in '/' is a directory entry, which holds nothing.
            using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            if (!name.EndsWith('/')) s.Write(bytes);
        }
        foreach (var (name, open) in streamed ?? new Dictionary<string, Func<Stream>>())
        {
            using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            using var source = open();
            source.CopyTo(s, 1 << 20);
        }
    }

    /// <summary><c>length</c> bytes of a fixed pattern, made as read: a large original without the memory.</summary>
    public sealed class PatternStream(long length) : Stream
    {
        long position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++) buffer[offset + i] = (byte)((position + i) * 31 % 251);
            position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public static Dictionary<string, byte[]> ReadZip(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    /// <summary>A package's entries in ZIP order; a name may occur twice, as in a crafted ZIP.</summary>
    public sealed class PackageFiles(IEnumerable<KeyValuePair<string, byte[]>> entries) : List<KeyValuePair<string, byte[]>>(entries)
    {
        public byte[] this[string name]
        {
            get => this.First(e => e.Key == name).Value;
            set
            {
                var at = FindIndex(e => e.Key == name);
                if (at < 0) Add(new(name, value));
                else base[at] = new(name, value);
            }
        }

        public void Remove(string name) => RemoveAll(e => e.Key == name);
    }

    /// <summary>A copy of the package, in <paramref name="dir"/>, with <paramref name="change"/> applied to its entries.</summary>
    public static string Tampered(string zip, string dir, string name, Action<PackageFiles> change)
    {
        var files = new PackageFiles(ReadZip(zip));
        change(files);
        var path = System.IO.Path.Combine(dir, name + ".zip");
        WriteZip(path, files);
        return path;
    }

    /// <summary>Flips one bit of the byte in the middle of <paramref name="file"/>.</summary>
    public static Action<PackageFiles> FlipByte(string file, int? at = null) => files =>
    {
        var b = (byte[])files[file].Clone();
        b[at ?? b.Length / 2] ^= 0x01;
        files[file] = b;
    };

    /// <summary>The tampering matrix: name, what to do, and the package path the verdict must name as failed.
    /// The first is a changed byte of an original (other tests rely on it).</summary>
    public static IReadOnlyList<(string Name, Action<PackageFiles> Change, string Blamed)> Tamperings(Built p)
    {
        var id = p.Originals[0].RecordId;
        var original = $"originals/{id}{p.Originals[0].Extension}";
        var another = RandomNumberGenerator.GetBytes(5000);
        static Action<PackageFiles> Rewrite(string file, string text) => files => files[file] = Encoding.UTF8.GetBytes(text);
        return
        [
            ("original-byte", FlipByte(original), original),
            ("manifest-byte", files => files["manifest.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["manifest.json"]).Replace("张三", "张五", StringComparison.Ordinal)), "manifest.json"),
            ("proof-hash", files => files["ledger/proofs.json"] = ChangeProofHash(files["ledger/proofs.json"]), "ledger/proofs.json"),
            ("checkpoint-byte", files => files["ledger/checkpoint.txt"] = ChangeCheckpoint(files["ledger/checkpoint.txt"]), "ledger/checkpoint.txt"),
            ("missing-original", files => files.Remove(original), original),
            // Every file is sealed, and only the exact entry list is accepted.
            ("readme-rewritten", Rewrite("README.txt", "证据包 / evidence package：无需核验\n"), "README.txt"),
            ("report-html-rewritten", Rewrite("report/report.html", "<!doctype html><title>电子数据证据清单</title><p>渝交罚〔2026〕2号</p>"), "report/report.html"),
            ("report-pdf-rewritten", FlipByte("report/report.pdf"), "report/report.pdf"),
            ("receipt-rewritten", Rewrite("receipt/receipt.html", "<!doctype html><title>证据包接收回执</title><p>已收到</p>"), "receipt/receipt.html"),
            ("verify-page-rewritten", Rewrite("verify/verify.html", "<!doctype html><script>document.write('结论：通过 / VERDICT: PASSED')</script>"), "verify/verify.html"),
            ("dot-slash-original", files => files.Add(new($"./{original}", another)), $"./{original}"),
            ("parent-entry", files => files.Add(new($"../{id}.mp4", another)), $"../{id}.mp4"),
            ("absolute-entry", files => files.Add(new($"/tmp/{id}.mp4", another)), $"/tmp/{id}.mp4"),
            ("backslash-entry", files => files.Add(new($"originals\\{id}.mp4", another)), $"originals\\{id}.mp4"),
            ("drive-entry", files => files.Add(new($"C:/{id}.mp4", another)), $"C:/{id}.mp4"),
            ("case-variant", files => files.Add(new(original.ToUpperInvariant(), another)), original.ToUpperInvariant()),
            ("width-variant", files => files.Add(new(original.Replace("mp4", "\uFF4Dp4", StringComparison.Ordinal), another)), original.Replace("mp4", "\uFF4Dp4", StringComparison.Ordinal)),
            ("nfd-entry", files => files.Add(new("originals/e\u0301.mp4", another)), "originals/e\u0301.mp4"),
            ("duplicate-original", files => files.Add(new(original, another)), original),
            ("directory-entry", files => files.Add(new("originals/", [])), "originals/"),
            ("extra-file", files => files.Add(new("originals/extra.mp4", another)), "originals/extra.mp4"),
        ];
    }

    /// <summary>A copy of the package, in <paramref name="dir"/>, rewritten byte by byte with <paramref name="craft"/> applied.</summary>
    public static string Crafted(string zip, string dir, string name, Action<CraftedZip> craft)
    {
        var crafted = CraftedZip.Read(zip);
        craft(crafted);
        return crafted.Write(System.IO.Path.Combine(dir, name + ".zip"));
    }

    /// <summary>A substitute for the package's first original, as an attacker would slip it in.</summary>
    public static readonly byte[] Substitute = Encoding.ASCII.GetBytes("substitute video, not the sealed original");

    /// <summary>Attacks on the ZIP structure itself, where a central-directory reader and an extractor that walks
    /// the local headers see different things: name, what to do, the verdict subject that must fail (an entry, or
    /// the crafted file's own name for the archive as a whole) and what its English verdict says.</summary>
    public static IReadOnlyList<(string Name, Action<CraftedZip> Craft, string Blamed, string Says)> ZipAttacks(Built p)
    {
        var original = $"originals/{p.Originals[0].RecordId}{p.Originals[0].Extension}";
        var junk = Encoding.ASCII.GetBytes("stray bytes no entry owns");
        int At(CraftedZip z, string name) => z.Entries.FindIndex(e => e.Name == name);
        return
        [
            // The original's local header renamed, and a local entry the directory does not list put in its name:
            // an extractor walking the local headers writes the substitute as the original.
            ("renamed-local-header", z =>
            {
                var i = At(z, original);
                z.Entries[i].LocalName = original + ".bak";
                z.Entries.Insert(i + 1, Hide(CraftedZip.Stored(original, Substitute)));
            }, original, "local header names it"),
            ("hidden-local-entry", z => z.Entries.Insert(At(z, "manifest.json"), Hide(CraftedZip.Stored("originals/extra.mp4", Substitute))), "originals/extra.mp4", "hides a local entry"),
            ("local-crc-differs", z => z.Entries[At(z, original)].LocalCrc = z.Entries[At(z, original)].Crc ^ 1, original, "CRC or sizes differ"),
            ("overlapping-entries", z => z.Entries.Add(new CraftedZip.Entry("originals/extra.mp4", 0x0800, 0, z.Entries[At(z, original)].Crc, z.Entries[At(z, original)].Uncompressed, z.Entries[At(z, original)].Data) { SharesLocalOf = original }),
                "originals/extra.mp4", "another entry's bytes"),
            ("prepended-bytes", z => z.Prefix = junk, "prepended-bytes.zip", "before the first entry"),
            ("bytes-between-entries", z => z.Entries[At(z, "manifest.json")].Before = junk, "bytes-between-entries.zip", "between two entries"),
            ("bytes-before-directory", z => z.BeforeDirectory = junk, "bytes-before-directory.zip", "between the last entry and the central directory"),
            ("end-comment", z => z.Comment = Encoding.UTF8.GetBytes("结论：通过 / VERDICT: PASSED"), "end-comment.zip", "comment"),
            ("trailing-bytes", z => z.Trailing = junk, "trailing-bytes.zip", "follow the ZIP end record"),
            ("encrypted-entry", z => z.Entries[At(z, "README.txt")].Flags |= 0x0001, "README.txt", "encrypted"),
            ("unknown-method", z => z.Entries[At(z, "README.txt")].Method = 12, "README.txt", "unknown compression method 12"),
        ];
    }

    static CraftedZip.Entry Hide(CraftedZip.Entry e)
    {
        e.Listed = false;
        return e;
    }

    /// <summary>One bit of one proof hash of the first leaf changed, re-encoded as valid base64.</summary>
    static byte[] ChangeProofHash(byte[] proofs)
    {
        var node = JsonNode.Parse(proofs)!;
        var hashes = node["leaves"]![0]!["hashes"]!.AsArray();
        var h = Convert.FromBase64String((string)hashes[0]!);
        h[7] ^= 0x01;
        hashes[0] = Convert.ToBase64String(h);
        return Encoding.UTF8.GetBytes(node.ToJsonString(Indented));
    }

    /// <summary>The tree size line's last digit changed (the note stays well formed; the signature must fail).</summary>
    static byte[] ChangeCheckpoint(byte[] checkpoint)
    {
        var lines = Encoding.UTF8.GetString(checkpoint).Split('\n');
        var size = lines[1];
        lines[1] = size[..^1] + (size[^1] == '9' ? '8' : (char)(size[^1] + 1));
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }
}
