using System.Buffers.Binary;
using System.Text;

namespace AvLedger.Server.Tests.Verify;

/// <summary>A ZIP written byte by byte, for the archives no ZIP library writes: local headers that
/// disagree with the central directory, local entries the directory does not list, stray bytes before,
/// between and after the entries, comments, encryption flags. Read from a small package without ZIP64
/// or data descriptors (what ZipArchive writes to a file), changed, written again.</summary>
public sealed class CraftedZip
{
    public sealed class Entry(string name, ushort flags, ushort method, uint crc, long uncompressed, byte[] data)
    {
        public string Name { get; set; } = name;
        /// <summary>The name in the local header, when it differs from the central directory's.</summary>
        public string? LocalName { get; set; }
        public ushort Flags { get; set; } = flags;
        public ushort Method { get; set; } = method;
        public uint Crc { get; set; } = crc;
        public long Uncompressed { get; set; } = uncompressed;
        public byte[] Data { get; set; } = data;
        /// <summary>The CRC in the local header, when it differs from the central directory's.</summary>
        public uint? LocalCrc { get; set; }
        /// <summary>A central entry with no local entry of its own, pointing at the named entry's local header.</summary>
        public string? SharesLocalOf { get; set; }
        /// <summary>False: a local entry the central directory does not list.</summary>
        public bool Listed { get; set; } = true;
        /// <summary>Bytes written before this entry's local header.</summary>
        public byte[] Before { get; set; } = [];
    }

    public List<Entry> Entries { get; } = [];
    public byte[] Prefix { get; set; } = [];
    public byte[] BeforeDirectory { get; set; } = [];
    public byte[] Comment { get; set; } = [];
    public byte[] Trailing { get; set; } = [];

    /// <summary>A stored local entry of <paramref name="content"/> under <paramref name="name"/>.</summary>
    public static Entry Stored(string name, byte[] content) => new(name, 0x0800, 0, Crc32(content), content.Length, content);

    public static CraftedZip Read(string path)
    {
        var b = File.ReadAllBytes(path);
        var eocd = b.Length - 22;
        if (U32(b, eocd) != 0x06054b50) throw new InvalidDataException("expected a ZIP with no comment");
        var zip = new CraftedZip();
        var p = (int)U32(b, eocd + 16);
        for (var n = 0; n < U16(b, eocd + 10); n++)
        {
            int nameLength = U16(b, p + 28), extra = U16(b, p + 30), comment = U16(b, p + 32);
            var local = (int)U32(b, p + 42);
            var data = local + 30 + U16(b, local + 26) + U16(b, local + 28);
            zip.Entries.Add(new(Encoding.UTF8.GetString(b, p + 46, nameLength), U16(b, p + 8), U16(b, p + 10), U32(b, p + 16), U32(b, p + 24),
                b[data..(data + (int)U32(b, p + 20))]));
            p += 46 + nameLength + extra + comment;
        }
        return zip;
    }

    public string Write(string path)
    {
        using var o = new MemoryStream();
        o.Write(Prefix);
        var offsets = new List<long>();
        foreach (var e in Entries)
        {
            if (e.SharesLocalOf is not null)
            {
                offsets.Add(-1);
                continue;
            }
            o.Write(e.Before);
            offsets.Add(o.Position);
            var name = Encoding.UTF8.GetBytes(e.LocalName ?? e.Name);
            Header(o, 0x04034b50, e, name.Length, e.LocalCrc);
            o.Write(name);
            o.Write(e.Data);
        }
        o.Write(BeforeDirectory);
        var cd = o.Position;
        var listed = 0;
        for (var i = 0; i < Entries.Count; i++)
        {
            var e = Entries[i];
            if (!e.Listed) continue;
            listed++;
            var name = Encoding.UTF8.GetBytes(e.Name);
            o.Write(Le32(0x02014b50));
            o.Write(Le16(0x0314));
            Header(o, null, e, name.Length);
            o.Write(Le16(0)); // comment
            o.Write(Le16(0)); // disk
            o.Write(Le16(0)); // internal attributes
            o.Write(Le32(0x81A40000)); // external attributes: a regular file, 0644
            o.Write(Le32((uint)(e.SharesLocalOf is { } other ? offsets[Entries.FindIndex(x => x.Name == other)] : offsets[i])));
            o.Write(name);
        }
        var cdSize = o.Position - cd;
        o.Write(Le32(0x06054b50));
        o.Write(Le16(0));
        o.Write(Le16(0));
        o.Write(Le16((ushort)listed));
        o.Write(Le16((ushort)listed));
        o.Write(Le32((uint)cdSize));
        o.Write(Le32((uint)cd));
        o.Write(Le16((ushort)Comment.Length));
        o.Write(Comment);
        o.Write(Trailing);
        File.WriteAllBytes(path, o.ToArray());
        return path;
    }

    /// <summary>From "version needed" to the extra length: the fields local and central headers share.</summary>
    static void Header(Stream o, uint? signature, Entry e, int nameLength, uint? crc = null)
    {
        if (signature is { } s) o.Write(Le32(s));
        o.Write(Le16(20));
        o.Write(Le16(e.Flags));
        o.Write(Le16(e.Method));
        o.Write(Le16(0)); // 00:00
        o.Write(Le16(0x21)); // 1980-01-01
        o.Write(Le32(crc ?? e.Crc));
        o.Write(Le32((uint)e.Data.Length));
        o.Write(Le32((uint)e.Uncompressed));
        o.Write(Le16((ushort)nameLength));
        o.Write(Le16(0));
    }

    /// <summary>CRC-32 (ISO-HDLC), as ZIP headers carry it.</summary>
    public static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    static byte[] Le16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    static byte[] Le32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
    static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
}
