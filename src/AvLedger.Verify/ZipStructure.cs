using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AvLedger.Verify;

/// <summary>
/// The ZIP's own structure, checked so that every extractor sees exactly what was verified. The verifier
/// reads entries through the central directory, as ZipArchive and unzip do, but a streaming extractor
/// (bsdtar from a pipe, unzip of a stream) walks the local headers instead. So the two views must be the
/// same: the archive is the local entries back to back from byte 0 (each its header, data and data
/// descriptor), then the central directory listing exactly them, then the end records with no comment and
/// nothing after. Only headers are read here; entry data is never loaded.
/// </summary>
static class ZipStructure
{
    const uint LocalSig = 0x04034b50, CentralSig = 0x02014b50, EndSig = 0x06054b50, End64Sig = 0x06064b50, Locator64Sig = 0x07064b50, DescriptorSig = 0x08074b50;
    const int MaxCentralDirectory = 64 << 20;

    /// <summary>A structural failure: <paramref name="Subject"/> is an entry name, or the archive's file name.</summary>
    public sealed record Problem(string Subject, string Zh, string En);

    sealed record Central(string Name, byte[] NameBytes, ushort Flags, ushort Method, uint Crc, long Compressed, long Uncompressed, long Offset);

    public static List<Problem> Check(string path)
    {
        var archive = Path.GetFileName(path);
        var problems = new List<Problem>();
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        if (length < 22)
        {
            problems.Add(new(archive, "不是 ZIP 文件", "not a ZIP file"));
            return problems;
        }

        // The end record: exactly the last 22 bytes, with no comment.
        var tailLength = (int)Math.Min(length, 0xFFFF + 22);
        var tail = Read(file, length - tailLength, tailLength);
        var eocdAt = -1L;
        for (var i = tailLength - 22; i >= 0; i--)
            if (U32(tail, i) == EndSig) { eocdAt = length - tailLength + i; break; }
        if (eocdAt < 0)
        {
            problems.Add(new(archive, "找不到 ZIP 目录结束记录", "no ZIP end-of-central-directory record"));
            return problems;
        }
        var eocd = Read(file, eocdAt, 22);
        var comment = U16(eocd, 20);
        if (comment > 0)
            problems.Add(new(archive, $"ZIP 目录结束记录带有 {comment} 字节注释：证据包不含注释，注释可冒充说明文字",
                $"the ZIP end record carries a {comment}-byte comment: packages have none, and a comment can pose as text of the package"));
        if (eocdAt + 22 + comment != length)
            problems.Add(new(archive, $"ZIP 目录结束记录之后还有 {length - eocdAt - 22 - comment} 字节：证据包在结束记录处结束",
                $"{length - eocdAt - 22 - comment} bytes follow the ZIP end record: a package ends there"));
        if (U16(eocd, 4) != 0 || U16(eocd, 6) != 0 || U16(eocd, 8) != U16(eocd, 10))
            problems.Add(new(archive, "ZIP 分卷字段非零：证据包只有一卷", "the ZIP names other disks: a package is one file"));
        long count = U16(eocd, 10), cdSize = U32(eocd, 12), cdOffset = U32(eocd, 16), cdEnd = eocdAt;

        // ZIP64: the locator right before the end record, the ZIP64 end record right before it, agreeing with it.
        if (eocdAt >= 20 && U32(Read(file, eocdAt - 20, 4), 0) == Locator64Sig)
        {
            var locator = Read(file, eocdAt - 20, 20);
            var at = (long)U64(locator, 8);
            var record = at >= 0 && at <= eocdAt - 76 ? Read(file, at, 56) : null;
            if (record is null || U32(record, 0) != End64Sig || U32(locator, 4) != 0 || U32(locator, 16) != 1)
            {
                problems.Add(new(archive, "ZIP64 定位记录不指向 ZIP64 目录结束记录", "the ZIP64 locator does not point at a ZIP64 end record"));
                return problems;
            }
            if ((long)U64(record, 4) != 44 || at + 56 != eocdAt - 20)
                problems.Add(new(archive, "ZIP64 目录结束记录带有扩展数据，或与定位记录之间有多余字节", "the ZIP64 end record carries extensible data, or bytes lie between it and its locator"));
            long count64 = (long)U64(record, 32), size64 = (long)U64(record, 40), offset64 = (long)U64(record, 48);
            if (U32(record, 16) != 0 || U32(record, 20) != 0 || U64(record, 24) != U64(record, 32)
                || !Agrees(U16(eocd, 10), 0xFFFF, count64) || !Agrees(U32(eocd, 12), 0xFFFFFFFF, size64) || !Agrees(U32(eocd, 16), 0xFFFFFFFF, offset64))
                problems.Add(new(archive, "ZIP64 目录结束记录与 ZIP 目录结束记录所记条目数、目录大小或位置不一致：不同的解压程序会读到不同的目录",
                    "the ZIP64 end record and the ZIP end record disagree on the entry count, directory size or offset: extractors would read different directories"));
            (count, cdSize, cdOffset, cdEnd) = (count64, size64, offset64, at);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > cdEnd)
        {
            problems.Add(new(archive, "ZIP 中央目录的位置或大小超出文件", "the ZIP central directory's offset or size lies outside the file"));
            return problems;
        }
        if (cdOffset + cdSize != cdEnd)
            problems.Add(new(archive, $"ZIP 中央目录与目录结束记录之间有 {cdEnd - cdOffset - cdSize} 字节多余数据", $"{cdEnd - cdOffset - cdSize} stray bytes lie between the central directory and the end record"));
        if (cdSize > MaxCentralDirectory)
        {
            problems.Add(new(archive, "ZIP 中央目录过大，不是证据包", "the ZIP central directory is far too large for a package"));
            return problems;
        }

        // The central directory: exactly count entries filling exactly cdSize bytes.
        var cd = Read(file, cdOffset, (int)cdSize);
        var entries = new List<Central>();
        var p = 0;
        for (long n = 0; n < count; n++)
        {
            if (p + 46 > cd.Length || U32(cd, p) != CentralSig)
            {
                problems.Add(new(archive, "ZIP 中央目录损坏（条目数与目录内容不符）", "the ZIP central directory is damaged (its entries do not match the count)"));
                return problems;
            }
            int nameLength = U16(cd, p + 28), extraLength = U16(cd, p + 30), commentLength = U16(cd, p + 32);
            if (p + 46 + nameLength + extraLength + commentLength > cd.Length)
            {
                problems.Add(new(archive, "ZIP 中央目录损坏（条目超出目录）", "the ZIP central directory is damaged (an entry runs past its end)"));
                return problems;
            }
            var nameBytes = cd.AsSpan(p + 46, nameLength).ToArray();
            // Names are read as UTF-8 whatever the entry's flag says, as PackageSource reads them.
            var name = Encoding.UTF8.GetString(nameBytes);
            long compressed = U32(cd, p + 20), uncompressed = U32(cd, p + 24), offset = U32(cd, p + 42);
            var disk = (uint)U16(cd, p + 34);
            Zip64(cd.AsSpan(p + 46 + nameLength, extraLength), ref uncompressed, ref compressed, ref offset, ref disk);
            var entry = new Central(name, nameBytes, U16(cd, p + 8), U16(cd, p + 10), U32(cd, p + 16), compressed, uncompressed, offset);
            if ((entry.Flags & 0x2041) != 0)
                problems.Add(new(name, "ZIP 条目已加密：证据包不加密，加密内容无法核验", "the ZIP entry is encrypted: packages are not, and encrypted contents cannot be verified"));
            else if (entry.Method is not (0 or 8))
                problems.Add(new(name, $"ZIP 条目使用未知的压缩方式 {entry.Method}：证据包只用存储（0）或 deflate（8）", $"the ZIP entry uses unknown compression method {entry.Method}: packages use only stored (0) or deflate (8)"));
            if (disk != 0)
                problems.Add(new(name, "ZIP 条目位于另一分卷", "the ZIP entry is on another disk"));
            entries.Add(entry);
            p += 46 + nameLength + extraLength + commentLength;
        }
        if (p != cd.Length)
            problems.Add(new(archive, $"ZIP 中央目录在 {count} 个条目之后还有 {cd.Length - p} 字节，其中可能藏有其他条目", $"{cd.Length - p} bytes follow the {count} entries of the central directory; other entries may hide there"));

        // The local entries: back to back from byte 0 to the central directory, each matching its central entry.
        var position = 0L;
        foreach (var e in entries.OrderBy(e => e.Offset))
        {
            if (e.Offset < position)
            {
                problems.Add(new(e.Name, "ZIP 中央目录中此条目与另一条目的数据范围重叠：同一段字节被当作两个文件", "the central directory points this entry into another entry's bytes: the same bytes would be two files"));
                continue;
            }
            if (e.Offset > position)
                problems.Add(Gap(file, archive, position, e.Offset, position == 0 ? "before the first entry" : "between two entries"));
            if (LocalEnd(file, e, cdOffset, problems) is not { } end) return problems;
            position = end;
        }
        if (position < cdOffset)
            problems.Add(Gap(file, archive, position, cdOffset, entries.Count == 0 ? "before the central directory" : "between the last entry and the central directory"));
        return problems;
    }

    /// <summary>The local header at the entry's offset agrees with the central entry; returns where its
    /// data (and data descriptor) end, or null when the header cannot be read at all.</summary>
    static long? LocalEnd(SafeFileHandle file, Central e, long limit, List<Problem> problems)
    {
        if (e.Offset + 30 > limit || U32(Read(file, e.Offset, 4), 0) != LocalSig)
        {
            problems.Add(new(e.Name, "ZIP 中央目录所指位置没有此条目的本地文件头", "the central directory points at no local header for this entry"));
            return null;
        }
        var header = Read(file, e.Offset, 30);
        int nameLength = U16(header, 26), extraLength = U16(header, 28);
        if (e.Offset + 30 + nameLength + extraLength > limit)
        {
            problems.Add(new(e.Name, "此条目的本地文件头超出数据区", "this entry's local header runs past the entry data"));
            return null;
        }
        var rest = Read(file, e.Offset + 30, nameLength + extraLength);
        var localName = rest.AsSpan(0, nameLength);
        ushort flags = U16(header, 6), method = U16(header, 8);
        var mismatches = new List<(string Zh, string En)>();
        if (!localName.SequenceEqual(e.NameBytes))
            mismatches.Add(($"本地文件头中的文件名为 {Encoding.UTF8.GetString(localName)}，与中央目录不同：逐个读取本地文件头的解压程序会以该名称解出它",
                $"its local header names it {Encoding.UTF8.GetString(localName)}, not what the central directory says: an extractor that walks the local headers writes it under that name"));
        if (flags != e.Flags)
            mismatches.Add(($"本地文件头标志 {flags:x4} 与中央目录 {e.Flags:x4} 不同", $"local header flags {flags:x4} differ from the central directory's {e.Flags:x4}"));
        if (method != e.Method)
            mismatches.Add(($"本地文件头的压缩方式 {method} 与中央目录 {e.Method} 不同", $"local header compression method {method} differs from the central directory's {e.Method}"));
        var deferred = (flags & 0x0008) != 0;
        uint crc = U32(header, 14);
        long compressed = U32(header, 18), uncompressed = U32(header, 22), ignored = 0;
        var disk = 0u;
        var localZip64 = Zip64(rest.AsSpan(nameLength, extraLength), ref uncompressed, ref compressed, ref ignored, ref disk);
        if (!deferred && (crc != e.Crc || compressed != e.Compressed || uncompressed != e.Uncompressed))
            mismatches.Add(("本地文件头的 CRC 或大小与中央目录不同：不同的解压程序会读出不同长度的内容", "the local header's CRC or sizes differ from the central directory's: extractors would read contents of different lengths"));
        if (deferred && method != 0)
            // A streaming extractor finds the end of deflated data with deferred sizes by inflating it, not from the directory.
            mismatches.Add(("压缩条目的大小记在数据之后（数据描述符）：逐个读取的解压程序以解压结果而非目录确定其结尾，证据包不这样写", "a deflated entry with its sizes after the data (data descriptor): a streaming extractor ends it where inflating ends, not where the directory says; packages are not written so"));

        var end = e.Offset + 30 + nameLength + extraLength + e.Compressed;
        if (deferred && end + 12 <= limit)
        {
            // The data descriptor: optional signature, CRC, sizes (64-bit when the entry needs ZIP64).
            var wide = localZip64 || e.Compressed >= 0xFFFFFFFF || e.Uncompressed >= 0xFFFFFFFF || U16(header, 4) >= 45;
            var descriptor = Read(file, end, (int)Math.Min(24, limit - end));
            var at = U32(descriptor, 0) == DescriptorSig ? 4 : 0;
            var size = at + (wide ? 20 : 12);
            if (descriptor.Length < size
                || U32(descriptor, at) != e.Crc
                || (wide ? (long)U64(descriptor, at + 4) : U32(descriptor, at + 4)) != e.Compressed
                || (wide ? (long)U64(descriptor, at + 12) : U32(descriptor, at + 8)) != e.Uncompressed)
                mismatches.Add(("数据描述符中的 CRC 或大小与中央目录不同", "the data descriptor's CRC or sizes differ from the central directory's"));
            end += size;
        }
        if (mismatches.Count > 0)
            problems.Add(new(e.Name, string.Join("；", mismatches.Select(m => m.Zh)), string.Join("; ", mismatches.Select(m => m.En))));
        return Math.Min(end, limit);
    }

    /// <summary>Bytes no central entry accounts for: named after the local entry hidden there, if any.</summary>
    static Problem Gap(SafeFileHandle file, string archive, long from, long to, string where)
    {
        var head = Read(file, from, (int)Math.Min(to - from, 30 + 0xFFFF));
        if (head.Length >= 30 && U32(head, 0) == LocalSig && 30 + U16(head, 26) <= head.Length)
        {
            var hidden = Encoding.UTF8.GetString(head, 30, U16(head, 26));
            return new(hidden, "ZIP 中藏有中央目录未列出的本地文件条目：逐个读取本地文件头的解压程序（如从管道读取的 bsdtar）会解出它，而核验程序看不到它，不能作为证据",
                "the ZIP hides a local entry the central directory does not list: an extractor that walks the local headers (bsdtar reading a pipe, for one) extracts it while a verifier never sees it; it is not evidence");
        }
        var zhWhere = where switch
        {
            "before the first entry" => "第一个条目之前",
            "between two entries" => "两个条目之间",
            "before the central directory" => "中央目录之前",
            _ => "最后一个条目与中央目录之间",
        };
        return new(archive, $"ZIP 中{zhWhere}有 {to - from} 字节不属于任何条目（位于第 {from} 字节）：证据包的条目首尾相接，多余字节可能藏有其他内容",
            $"{to - from} bytes {where} (at byte {from}) belong to no entry: a package's entries lie back to back, and stray bytes may hide other contents");
    }

    static bool Agrees(long field, long saturated, long value) => field == saturated || field == value;

    /// <summary>Applies a ZIP64 extended-information field: each value that is saturated is read from it, in order.</summary>
    static bool Zip64(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long offset, ref uint disk)
    {
        for (var x = 0; x + 4 <= extra.Length;)
        {
            int id = BinaryPrimitives.ReadUInt16LittleEndian(extra[x..]), length = BinaryPrimitives.ReadUInt16LittleEndian(extra[(x + 2)..]);
            if (id == 0x0001)
            {
                var field = extra.Slice(x + 4, Math.Min(length, extra.Length - x - 4));
                var y = 0;
                if (uncompressed == 0xFFFFFFFF && y + 8 <= field.Length) { uncompressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(field[y..]); y += 8; }
                if (compressed == 0xFFFFFFFF && y + 8 <= field.Length) { compressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(field[y..]); y += 8; }
                if (offset == 0xFFFFFFFF && y + 8 <= field.Length) { offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(field[y..]); y += 8; }
                if (disk == 0xFFFF && y + 4 <= field.Length) disk = BinaryPrimitives.ReadUInt32LittleEndian(field[y..]);
                return true;
            }
            x += 4 + length;
        }
        return false;
    }

    static byte[] Read(SafeFileHandle file, long offset, int count)
    {
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var n = RandomAccess.Read(file, buffer.AsSpan(total), offset + total);
            if (n == 0) break;
            total += n;
        }
        return total == count ? buffer : buffer[..total];
    }

    static ushort U16(byte[] b, int at) => at + 2 <= b.Length ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)) : (ushort)0;
    static uint U32(byte[] b, int at) => at + 4 <= b.Length ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : 0;
    static ulong U64(byte[] b, int at) => at + 8 <= b.Length ? BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at)) : 0;
}
