using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AvLedger.Ledger;

namespace AvLedger.Verify;

/// <summary>
/// Verifies an evidence package (docs/evidence-package.md, formats 1 and 2) with nothing but the
/// package: the checkpoint's signature, every inclusion proof, the seal leaf that commits the manifest,
/// each original's SHA-256 and size against the manifest and its record.stored leaf, every other file
/// against the manifest (format 2), that the package holds exactly the entries the manifest names, and that
/// its ZIP structure leaves no extractor another view (<see cref="ZipStructure"/>). Originals are streamed, never held in memory, so files beyond 4 GiB (ZIP64) verify too.
/// </summary>
public static class PackageVerifier
{
    /// <summary>The format new packages have (manifest <c>format</c> and <c>formatVersion</c>).</summary>
    public const string Format = "avledger-evidence-package/2";
    public const int FormatVersion = 2;
    public const string FormatPrefix = "avledger-evidence-package/";
    public static readonly int[] KnownVersions = [1, 2];
    public const string SealKind = LeafKinds.ExportSealed;
    public const string StoredKind = LeafKinds.RecordStored;

    const string ManifestPath = PackageLayout.Manifest;
    const string CheckpointPath = PackageLayout.Checkpoint;
    const string KeyPath = PackageLayout.Key;
    const string ProofsPath = PackageLayout.Proofs;
    const int MaxSmallFile = 64 << 20;

    /// <summary>Verifies the ZIP (or unzipped folder) at <paramref name="package"/>. With
    /// <paramref name="trustedKey"/> (a verifier key <c>name+hash+base64</c>) the signer must be that key.</summary>
    public static async Task<Report> VerifyAsync(string package, string? trustedKey = null, CancellationToken ct = default)
    {
        var verdicts = new List<Verdict>();
        KeyFingerprint? fingerprint = null;
        var signerChecked = false;
        PackageSource source;
        try
        {
            source = PackageSource.At(package);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            verdicts.Add(Fail(Path.GetFileName(package), $"无法读取证据包（不是完整的 ZIP 文件）：{e.Message}", $"cannot read the package (not a complete ZIP file): {e.Message}"));
            return new Report(package, verdicts, null, false);
        }
        using (source)
        {
            // The ZIP's structure first: what an extractor walking the local headers sees must be what is verified.
            if (!Directory.Exists(package))
                foreach (var problem in ZipStructure.Check(package))
                    verdicts.Add(Fail(problem.Subject, problem.Zh, problem.En));
            var run = new Run(source, verdicts);
            foreach (var dup in source.Duplicates)
                verdicts.Add(Fail(dup, "ZIP 中同名文件出现多次，无法确定以哪一个为准", "the ZIP holds this path more than once; which copy counts is ambiguous"));

            // 1. The key and the checkpoint's signature.
            var verifier = await run.KeyAsync(ct);
            if (verifier is not null)
            {
                fingerprint = Fingerprint(verifier);
                if (trustedKey is not null) signerChecked = run.TrustedKey(verifier, trustedKey);
                else
                    verdicts.Add(new Verdict("signer", Outcome.NotChecked,
                        $"签名者未核对：未提供发证机关公布的验证公钥，无法确认签名者是发证机关（同名的伪造公钥同样能使内容自洽）。公钥指纹 {fingerprint.KeyHash} / {fingerprint.PublicKeySha256}",
                        $"signer not checked: no published verifier key of the agency was given, so nothing shows the signer is the agency (a forged key under the same name makes the contents just as consistent). Key fingerprint {fingerprint.KeyHash} / {fingerprint.PublicKeySha256}"));
            }
            var checkpoint = verifier is null ? null : await run.CheckpointAsync(verifier, ct);

            // 2–3. proofs.json against the checkpoint; every leaf's inclusion proof.
            var leaves = await run.ProofsAsync(checkpoint, ct);

            // 4. The manifest and its seal.
            var manifest = await run.ManifestAsync(verifier, checkpoint, leaves, ct);

            // 5–7. Originals, copies, the other files, and nothing else.
            if (manifest is { } m)
            {
                run.NamedLeaves(m.Json, leaves);
                await run.RecordsAsync(m, leaves, ct);
                await run.CopiesAsync(m, ct);
                await run.FilesAsync(m, ct);
                run.EntryList();
            }
        }
        return new Report(package, verdicts, fingerprint, signerChecked);
    }

    static KeyFingerprint Fingerprint(NoteVerifier verifier)
    {
        var raw = Convert.FromBase64String(verifier.VerifierKey.Split('+', 3)[2])[1..];
        return new KeyFingerprint(verifier.VerifierKey, verifier.KeyHash.ToString("x8", CultureInfo.InvariantCulture), Hex(SHA256.HashData(raw)));
    }

    static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    static Verdict Pass(string subject, string zh, string en) => new(subject, Outcome.Passed, zh, en);
    static Verdict Fail(string subject, string zh, string en) => new(subject, Outcome.Failed, zh, en);
    static Verdict Note(string subject, string zh, string en) => new(subject, Outcome.Notice, zh, en);

    /// <summary>A proofs.json leaf: its bytes, and whether its proof reproduced the signed root.</summary>
    sealed record Leaf(long Index, byte[] Bytes, bool Proven)
    {
        public JsonElement? Json
        {
            get
            {
                try
                {
                    using var doc = JsonDocument.Parse(Bytes);
                    return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
                }
                catch (JsonException)
                {
                    return null;
                }
            }
        }

        public string? Kind => Json is { } j && j.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
    }

    /// <summary>A manifest of a known format version, and the seal leaf that commits it (if proven).</summary>
    sealed record Manifest(JsonElement Json, int Version, long? SealIndex);

    sealed class Run(PackageSource source, List<Verdict> verdicts)
    {
        /// <summary>Every path the manifest and format name; whatever else the package holds fails.</summary>
        readonly HashSet<string> expected = new(PackageLayout.Exempt, StringComparer.Ordinal);
        readonly List<long> proofIndices = [];

        async Task<byte[]?> ReadSmallAsync(string path, CancellationToken ct)
        {
            if (!source.Exists(path))
            {
                verdicts.Add(Fail(path, "证据包中缺少此文件", "this file is missing from the package"));
                return null;
            }
            try
            {
                await using var s = source.Open(path);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int n;
                while ((n = await s.ReadAsync(chunk, ct)) > 0)
                {
                    if (buffer.Length + n > MaxSmallFile)
                    {
                        verdicts.Add(Fail(path, "文件过大，不是证据包的此类文件", "far too large for this kind of package file"));
                        return null;
                    }
                    buffer.Write(chunk, 0, n);
                }
                return buffer.ToArray();
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                verdicts.Add(Fail(path, $"无法读取（ZIP 数据损坏）：{e.Message}", $"cannot be read (damaged ZIP data): {e.Message}"));
                return null;
            }
        }

        static string? Utf8(byte[] bytes)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        public async Task<NoteVerifier?> KeyAsync(CancellationToken ct)
        {
            if (await ReadSmallAsync(KeyPath, ct) is not { } bytes) return null;
            var text = Utf8(bytes)?.Trim();
            try
            {
                var verifier = new NoteVerifier(text ?? "");
                // Nothing but the key and one newline: no text rides along unchecked.
                if (Utf8(bytes) != verifier.VerifierKey + "\n")
                {
                    verdicts.Add(Fail(KeyPath, "除验证公钥及一个换行外还有其他内容", "holds more than the verifier key and one newline"));
                    return verifier;
                }
                verdicts.Add(Pass(KeyPath, $"验证公钥格式正确（{verifier.Name}）", $"the verifier key is well formed ({verifier.Name})"));
                return verifier;
            }
            catch (FormatException e)
            {
                verdicts.Add(Fail(KeyPath, $"验证公钥无法解析：{e.Message}", $"the verifier key does not parse: {e.Message}"));
                return null;
            }
        }

        public bool TrustedKey(NoteVerifier verifier, string trusted)
        {
            NoteVerifier expected;
            try
            {
                expected = new NoteVerifier(trusted.Trim());
            }
            catch (FormatException e)
            {
                verdicts.Add(Fail("signer", $"--trusted-key 不是有效的验证公钥：{e.Message}", $"--trusted-key is not a valid verifier key: {e.Message}"));
                return false;
            }
            if (expected.VerifierKey == verifier.VerifierKey)
            {
                verdicts.Add(Pass("signer", "签名者即受信任的公钥", "the signer is the trusted key"));
                return true;
            }
            verdicts.Add(Fail("signer", $"签名公钥不是受信任的公钥：包内为 {verifier.VerifierKey}，期望 {expected.VerifierKey}",
                $"the signing key is not the trusted key: the package has {verifier.VerifierKey}, expected {expected.VerifierKey}"));
            return false;
        }

        public async Task<Checkpoint?> CheckpointAsync(NoteVerifier verifier, CancellationToken ct)
        {
            if (await ReadSmallAsync(CheckpointPath, ct) is not { } bytes) return null;
            if (Utf8(bytes) is not { } note || !verifier.TryVerify(note, out var body))
            {
                verdicts.Add(Fail(CheckpointPath, "检查点签名无效（内容被改动或非此公钥所签）", "the checkpoint's signature does not verify (altered, or not signed by this key)"));
                return null;
            }
            // One signature line, the key's: a note may carry others, a package's checkpoint does not.
            if (!note.StartsWith(body + "\n", StringComparison.Ordinal) || note[(body.Length + 1)..].TrimEnd('\n').Contains('\n', StringComparison.Ordinal))
            {
                verdicts.Add(Fail(CheckpointPath, "检查点除发证机关的一个签名外还有其他签名行", "the checkpoint carries signature lines beyond the one signature"));
                return null;
            }
            if (!Checkpoint.TryParse(body, out var checkpoint) || checkpoint is null)
            {
                verdicts.Add(Fail(CheckpointPath, "已签名，但不是有效的检查点", "signed, but not a valid checkpoint"));
                return null;
            }
            verdicts.Add(Pass(CheckpointPath, $"检查点签名有效：{checkpoint.Origin}，{checkpoint.TreeSize} 个叶子", $"the checkpoint's signature verifies: {checkpoint.Origin}, {checkpoint.TreeSize} leaves"));
            return checkpoint;
        }

        public async Task<Dictionary<long, Leaf>> ProofsAsync(Checkpoint? checkpoint, CancellationToken ct)
        {
            var leaves = new Dictionary<long, Leaf>();
            if (await ReadSmallAsync(ProofsPath, ct) is not { } bytes) return leaves;
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                if (!Only(root, "treeSize", "rootHash", "leaves") || root.GetProperty("leaves").EnumerateArray().Any(l => !Only(l, "leafIndex", "leaf", "hashes")))
                {
                    verdicts.Add(Fail(ProofsPath, "证明文件含有格式之外的字段", "the proofs file has fields the format does not define"));
                    return leaves;
                }
                var treeSize = root.GetProperty("treeSize").GetInt64();
                var rootHash = Convert.FromBase64String(root.GetProperty("rootHash").GetString()!);
                var failures = 0;
                if (checkpoint is null)
                {
                    verdicts.Add(Fail(ProofsPath, "没有有效的检查点，无法核验证明", "no valid checkpoint to check the proofs against"));
                    failures++;
                }
                else if (treeSize != checkpoint.TreeSize || !rootHash.AsSpan().SequenceEqual(checkpoint.RootHash))
                {
                    verdicts.Add(Fail(ProofsPath, $"树大小或根哈希与已签名检查点不一致（{treeSize} / {checkpoint.TreeSize}）",
                        $"tree size or root hash differs from the signed checkpoint ({treeSize} vs {checkpoint.TreeSize})"));
                    failures++;
                }
                var proven = checkpoint is not null && failures == 0;
                foreach (var item in root.GetProperty("leaves").EnumerateArray())
                {
                    var index = item.GetProperty("leafIndex").GetInt64();
                    proofIndices.Add(index);
                    var leaf = Convert.FromBase64String(item.GetProperty("leaf").GetString()!);
                    var hashes = item.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
                    var ok = proven && MerkleVerifier.VerifyInclusion(MerkleHash.Leaf(leaf), index, checkpoint!.TreeSize, hashes, checkpoint.RootHash);
                    if (proven && !ok)
                    {
                        verdicts.Add(Fail(ProofsPath, $"叶子 {index} 的包含证明不能得出已签名的根哈希", $"leaf {index}'s inclusion proof does not reproduce the signed root hash"));
                        failures++;
                    }
                    if (leaves.TryGetValue(index, out var other) && !other.Bytes.AsSpan().SequenceEqual(leaf))
                    {
                        verdicts.Add(Fail(ProofsPath, $"叶子 {index} 出现两次且内容不同", $"leaf {index} appears twice with different contents"));
                        failures++;
                        ok = false;
                    }
                    leaves[index] = new Leaf(index, leaf, ok && (other?.Proven ?? true));
                }
                if (failures == 0)
                    verdicts.Add(Pass(ProofsPath, $"{leaves.Count} 个叶子的包含证明均得出已签名的根哈希", $"all {leaves.Count} leaves' inclusion proofs reproduce the signed root hash"));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentNullException)
            {
                verdicts.Add(Fail(ProofsPath, "证明文件格式错误", $"the proofs file is malformed: {e.Message}"));
            }
            return leaves;
        }

        static bool Only(JsonElement e, params string[] names) =>
            e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(names.Order(StringComparer.Ordinal));

        /// <summary>The manifest's format version: <c>formatVersion</c> and the <c>format</c> name must agree;
        /// format 1 had no <c>formatVersion</c>. Null, with a verdict, for anything this verifier does not know.</summary>
        int? Version(JsonElement manifest)
        {
            var format = Str(manifest, "format");
            if (format is null || !format.StartsWith(FormatPrefix, StringComparison.Ordinal) || !int.TryParse(format[FormatPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var named))
            {
                verdicts.Add(Fail(ManifestPath, "不是执法音像证据包的清单（format 不是 avledger-evidence-package/版本号）", "not an AvLedger evidence package manifest (format is not avledger-evidence-package/VERSION)"));
                return null;
            }
            int? declared = manifest.TryGetProperty("formatVersion", out var v) ? (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : -1) : null;
            var version = declared ?? named;
            if (!KnownVersions.Contains(version) || !KnownVersions.Contains(named))
            {
                var known = string.Join(", ", KnownVersions);
                verdicts.Add(Fail(ManifestPath, $"未知的证据包格式版本 {version}：本核验程序认识的版本为 {known}，请使用较新的核验程序",
                    $"unknown package format version {version}: this verifier knows versions {known}; use a newer verifier"));
                return null;
            }
            // Format 1 had no formatVersion; from 2 on it is required and agrees with the name.
            if (version != named || (named >= 2 && declared is null))
            {
                verdicts.Add(Fail(ManifestPath, $"清单的 format（{format}）与 formatVersion（{declared?.ToString(CultureInfo.InvariantCulture) ?? "无"}）不一致",
                    $"the manifest's format ({format}) and formatVersion ({declared?.ToString(CultureInfo.InvariantCulture) ?? "none"}) disagree"));
                return null;
            }
            return named;
        }

        public async Task<Manifest?> ManifestAsync(NoteVerifier? verifier, Checkpoint? checkpoint, Dictionary<long, Leaf> leaves, CancellationToken ct)
        {
            if (await ReadSmallAsync(ManifestPath, ct) is not { } bytes) return null;
            JsonElement manifest;
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                manifest = doc.RootElement.Clone();
                if (manifest.ValueKind != JsonValueKind.Object)
                {
                    verdicts.Add(Fail(ManifestPath, "清单不是 JSON 对象", "the manifest is not a JSON object"));
                    return null;
                }
            }
            catch (JsonException e)
            {
                verdicts.Add(Fail(ManifestPath, "清单不是有效的 JSON", $"the manifest is not valid JSON: {e.Message}"));
                return null;
            }
            if (Version(manifest) is not { } formatVersion) return null;
            var packageId = Str(manifest, "packageId");
            var digest = Hex(SHA256.HashData(bytes));
            long? sealIndex = null;

            // The seal: a proven export.sealed leaf for this package whose manifestSha256 is this manifest's.
            var seals = leaves.Values.Where(l => l.Kind == SealKind).ToList();
            var mine = seals.Where(l => l.Json is { } j && Str(j, "packageId") == packageId).ToList();
            if (mine.Count == 0)
                verdicts.Add(Fail(ManifestPath, $"账本证明中没有本证据包（{packageId}）的封存叶子 export.sealed", $"the proofs hold no export.sealed leaf for this package ({packageId})"));
            else if (mine.Count > 1)
                verdicts.Add(Fail(ManifestPath, "本证据包的封存叶子不止一个", "more than one seal leaf names this package"));
            else if (!mine[0].Proven)
                verdicts.Add(Fail(ManifestPath, $"封存叶子 {mine[0].Index} 未被证明包含在已签名的账本中", $"the seal leaf {mine[0].Index} is not proven to be in the signed ledger"));
            else if (Str(mine[0].Json!.Value, "manifestSha256") != digest)
                verdicts.Add(Fail(ManifestPath, $"清单的 SHA-256（{digest}）与账本封存叶子所记不一致：清单已被改动",
                    $"the manifest's SHA-256 ({digest}) differs from the one the seal leaf commits: the manifest was altered"));
            else
            {
                var sealedIds = mine[0].Json!.Value.TryGetProperty("recordIds", out var ids) && ids.ValueKind == JsonValueKind.Array
                    ? ids.EnumerateArray().Select(i => i.GetString()).ToHashSet() : [];
                var listed = Records(manifest).Select(r => Str(r, "id")).ToHashSet();
                if (!sealedIds.SetEquals(listed))
                    verdicts.Add(Fail(ManifestPath, "清单所列记录与封存叶子所列记录不一致", "the records the manifest lists differ from those the seal leaf names"));
                else
                {
                    sealIndex = mine[0].Index;
                    verdicts.Add(Pass(ManifestPath, $"清单 SHA-256 {digest} 与账本封存叶子 {mine[0].Index} 一致（格式版本 {formatVersion}）",
                        $"manifest SHA-256 {digest} matches seal leaf {mine[0].Index} in the signed ledger (format version {formatVersion})"));
                }
            }

            if (manifest.TryGetProperty("ledger", out var ledger) && ledger.ValueKind == JsonValueKind.Object)
            {
                if (checkpoint is not null && Str(ledger, "origin") != checkpoint.Origin)
                    verdicts.Add(Fail(ManifestPath, "清单所记账本来源与检查点不一致", "the manifest's ledger origin differs from the checkpoint's"));
                if (verifier is not null && Str(ledger, "keyName") is { } name && name != verifier.Name)
                    verdicts.Add(Fail(ManifestPath, "清单所记签名公钥名与 key.txt 不一致", "the manifest's key name differs from ledger/key.txt"));
            }
            if (mine.Count == 1) sealIndex ??= mine[0].Index;
            return new Manifest(manifest, formatVersion, sealIndex);
        }

        /// <summary>proofs.json holds exactly the leaves the manifest names (each record's, its custody, the seal), each once.</summary>
        public void NamedLeaves(JsonElement manifest, Dictionary<long, Leaf> leaves)
        {
            var named = new HashSet<long>();
            foreach (var record in Records(manifest))
            {
                if (Long(record, "ledgerIndex") is { } i) named.Add(i);
                if (record.TryGetProperty("custody", out var c) && c.ValueKind == JsonValueKind.Array)
                    foreach (var entry in c.EnumerateArray())
                        if (Long(entry, "leafIndex") is { } j) named.Add(j);
            }
            foreach (var seal in leaves.Values.Where(l => l.Kind == SealKind && l.Json is { } j && Str(j, "packageId") == Str(manifest, "packageId")))
                named.Add(seal.Index);
            var extra = proofIndices.Where(i => !named.Contains(i)).Distinct().Order().ToList();
            var repeated = proofIndices.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).Order().ToList();
            if (extra.Count > 0)
                verdicts.Add(Fail(ProofsPath, $"含有清单未提及的叶子 {string.Join(", ", extra)}", $"holds leaves the manifest does not name: {string.Join(", ", extra)}"));
            if (repeated.Count > 0)
                verdicts.Add(Fail(ProofsPath, $"叶子 {string.Join(", ", repeated)} 出现不止一次", $"leaves {string.Join(", ", repeated)} appear more than once"));
        }

        static List<JsonElement> Records(JsonElement manifest) =>
            manifest.TryGetProperty("records", out var r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray()] : [];

        static string? Str(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        static long? Long(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

        /// <summary>Streams the file through SHA-256; null (with a verdict) when it is missing or unreadable.</summary>
        async Task<(string Sha256, long Size)?> HashAsync(string path, CancellationToken ct)
        {
            if (!PackageLayout.IsCanonical(path) || PackageLayout.Exempt.Contains(path, StringComparer.Ordinal) || !expected.Add(path))
            {
                verdicts.Add(Fail(path, "清单所记路径不是规范路径（仅限 ASCII 字母、数字、._-，以 / 分隔），或与其他文件重复", "the manifest names a path that is not canonical (ASCII letters, digits, . _ - separated by /) or names it twice"));
                return null;
            }
            if (!source.Exists(path))
            {
                verdicts.Add(Fail(path, "证据包中缺少此文件", "this file is missing from the package"));
                return null;
            }
            try
            {
                await using var s = source.Open(path);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 20];
                long size = 0;
                int n;
                while ((n = await s.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, n);
                    size += n;
                }
                return (Hex(sha.GetHashAndReset()), size);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                verdicts.Add(Fail(path, $"无法读取（ZIP 数据损坏）：{e.Message}", $"cannot be read (damaged ZIP data): {e.Message}"));
                return null;
            }
        }

        public async Task RecordsAsync(Manifest m, Dictionary<long, Leaf> leaves, CancellationToken ct)
        {
            foreach (var record in Records(m.Json))
            {
                var id = Str(record, "id") ?? "?";
                var path = Str(record, "path") ?? $"originals/{id}";
                // Format 2: the extension is the recognised format's, never the uploader's file name.
                if (m.Version >= 2 && !PackageLayout.IsOriginalPath(path, id))
                {
                    verdicts.Add(Fail(path, $"清单所记原始文件路径应为 originals/{id} 加识别出的媒体格式扩展名", $"the manifest's path for an original must be originals/{id} and the recognised media format's extension"));
                    continue;
                }
                var sha = Str(record, "sha256")?.ToLowerInvariant();
                var size = Long(record, "size");
                var problems = new List<(string Zh, string En)>();

                if (await HashAsync(path, ct) is not { } actual) continue;
                if (actual.Sha256 != sha)
                    problems.Add(($"SHA-256 为 {actual.Sha256}，清单所记为 {sha}：文件已被改动", $"SHA-256 is {actual.Sha256}, the manifest says {sha}: the file was altered"));
                if (actual.Size != size)
                    problems.Add(($"大小为 {actual.Size} 字节，清单所记为 {size}", $"size is {actual.Size} bytes, the manifest says {size}"));

                var index = Long(record, "ledgerIndex");
                if (index is null || !leaves.TryGetValue(index.Value, out var stored))
                    problems.Add(($"账本证明中没有其入库叶子（{index}）", $"the proofs do not hold its record.stored leaf ({index})"));
                else if (!stored.Proven)
                    problems.Add(($"入库叶子 {index} 未被证明包含在已签名的账本中", $"its record.stored leaf {index} is not proven to be in the signed ledger"));
                else if (stored.Json is not { } leaf || stored.Kind != StoredKind)
                    problems.Add(($"叶子 {index} 不是入库叶子 record.stored", $"leaf {index} is not a record.stored leaf"));
                else if (Str(leaf, "recordId") != id || Str(leaf, "sha256") != sha || Long(leaf, "size") != size)
                    problems.Add(($"入库叶子 {index} 所记的记录编号、SHA-256 或大小与清单不一致", $"record.stored leaf {index} records a different id, SHA-256 or size than the manifest"));

                var custody = record.TryGetProperty("custody", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray().ToList() : [];
                foreach (var entry in custody)
                {
                    var kind = Str(entry, "kind");
                    var at = Long(entry, "leafIndex");
                    if (at is null || !leaves.TryGetValue(at.Value, out var l) || !l.Proven)
                        problems.Add(($"保管记录 {kind} 的叶子 {at} 未在账本证明中得到证明", $"custody entry {kind}: leaf {at} is not proven in the ledger"));
                    else if (l.Kind != kind)
                        problems.Add(($"保管记录称叶子 {at} 为 {kind}，实为 {l.Kind}", $"custody entry says leaf {at} is {kind}, it is {l.Kind}"));
                    else if (l.Json is { } lj && Str(lj, "recordId") is { } rid && rid != id)
                        problems.Add(($"保管记录叶子 {at} 属于另一条记录 {rid}", $"custody leaf {at} belongs to another record, {rid}"));
                }

                if (problems.Count == 0)
                    verdicts.Add(Pass(path, $"原始文件完好：SHA-256 {actual.Sha256}，{actual.Size} 字节，与清单及账本入库叶子 {index} 一致，{custody.Count} 条保管记录已证明",
                        $"original intact: SHA-256 {actual.Sha256}, {actual.Size} bytes, matching the manifest and record.stored leaf {index}; {custody.Count} custody entries proven"));
                else
                    verdicts.Add(Fail(path, string.Join("；", problems.Select(p => p.Zh)), string.Join("; ", problems.Select(p => p.En))));
            }
        }

        public async Task CopiesAsync(Manifest m, CancellationToken ct)
        {
            if (!m.Json.TryGetProperty("copies", out var copies) || copies.ValueKind != JsonValueKind.Array) return;
            foreach (var copy in copies.EnumerateArray())
            {
                var path = Str(copy, "path") ?? "copies/?";
                if (m.Version >= 2 && !PackageLayout.IsCopyPath(path, Str(copy, "recordId")))
                {
                    verdicts.Add(Fail(path, "清单所记观看副本路径应为 copies/{记录编号}-watermarked.mp4", "the manifest's path for a viewing copy must be copies/{recordId}-watermarked.mp4"));
                    continue;
                }
                if (await HashAsync(path, ct) is not { } actual) continue;
                if (actual.Sha256 != Str(copy, "sha256")?.ToLowerInvariant())
                    verdicts.Add(Fail(path, $"观看副本的 SHA-256 为 {actual.Sha256}，与清单不一致", $"the viewing copy's SHA-256 is {actual.Sha256}, not the manifest's"));
                else
                    verdicts.Add(Note(path, "观看副本（加水印的衍生件，不是执法记录）：SHA-256 与清单一致", "viewing copy (watermarked derivative, not a record): SHA-256 matches the manifest"));
            }
        }

        /// <summary>Format 2: every other file (README, report, PDF, receipt form, verifier page) is sealed by the manifest.</summary>
        public async Task FilesAsync(Manifest m, CancellationToken ct)
        {
            if (m.Version == 1)
            {
                foreach (var path in PackageLayout.Format1Unsealed.Where(source.Exists))
                {
                    expected.Add(path);
                    verdicts.Add(Note(path, "第 1 版格式的证据包未封存此文件：其内容未经核验，不能作为依据，以 manifest.json 与原始文件为准",
                        "format 1 package: this file is not sealed; its contents are not verified and must not be relied on (manifest.json and the originals are what count)"));
                }
                return;
            }
            if (!m.Json.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                verdicts.Add(Fail(ManifestPath, "第 2 版格式的清单缺少 files 列表", "a format 2 manifest has no files list"));
                return;
            }
            foreach (var file in files.EnumerateArray())
            {
                var path = Str(file, "path") ?? "?";
                if (path.StartsWith("originals/", StringComparison.Ordinal) || path.StartsWith("copies/", StringComparison.Ordinal))
                {
                    verdicts.Add(Fail(path, "files 列表不得含有原始文件或观看副本", "the files list must not hold originals or viewing copies"));
                    continue;
                }
                if (await HashAsync(path, ct) is not { } actual) continue;
                var sha = Str(file, "sha256")?.ToLowerInvariant();
                if (actual.Sha256 != sha || actual.Size != Long(file, "size"))
                    verdicts.Add(Fail(path, $"SHA-256 为 {actual.Sha256}（{actual.Size} 字节），清单所记为 {sha}（{Long(file, "size")} 字节）：文件已被改动",
                        $"SHA-256 is {actual.Sha256} ({actual.Size} bytes), the manifest says {sha} ({Long(file, "size")} bytes): the file was altered"));
                else
                    verdicts.Add(Pass(path, $"已封存：SHA-256 {actual.Sha256}，{actual.Size} 字节，与清单一致", $"sealed: SHA-256 {actual.Sha256}, {actual.Size} bytes, matching the manifest"));
            }
        }

        /// <summary>The package holds exactly the entries expected: anything else — added, a variant of an
        /// expected name, unsafe, a directory — fails by name, since an unzip program would act on it.</summary>
        public void EntryList()
        {
            foreach (var entry in source.Entries.Distinct(StringComparer.Ordinal).Where(e => !expected.Contains(e)))
            {
                var (zh, en) = PackageLayout.Foreign(entry, expected);
                verdicts.Add(Fail(entry, zh, en));
            }
        }
    }
}
