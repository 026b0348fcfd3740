using System.Text;
using System.Text.Json;
using AvLedger.Core.Ledger;

namespace AvLedger.Server.Ledger;

/// <summary>The state directory's append-only <c>checkpoints</c> file: one JSON line per signed
/// checkpoint (<c>{"treeSize":…,"note":"…"}</c>), each flushed to disk before the checkpoint is
/// published. Only its last line is read: a torn last line (a crash while appending) is skipped.</summary>
public sealed class CheckpointFile(string path) : ISignedCheckpointLog
{
    public const string FileName = "checkpoints";
    const int TailBytes = 64 * 1024;

    sealed record Line(long TreeSize, string Note);

    readonly Lock gate = new();
    string? latest;
    bool read;

    public string Path { get; } = path;

    public string? Latest()
    {
        lock (gate)
        {
            if (!read)
            {
                latest = ReadLast();
                read = true;
            }
            return latest;
        }
    }

    public void Append(string note)
    {
        lock (gate)
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            var torn = File.Exists(Path) && new FileInfo(Path).Length > 0 && !EndsWithNewline();
            var size = long.Parse(note.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
            var line = (torn ? "\n" : "") + JsonSerializer.Serialize(new Line(size, note), JsonSerializerOptions.Web) + "\n";
            using (var stream = new FileStream(Path, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(line));
                stream.Flush(flushToDisk: true);
            }
            latest = note;
            read = true;
        }
    }

    bool EndsWithNewline()
    {
        using var stream = File.OpenRead(Path);
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    string? ReadLast()
    {
        if (!File.Exists(Path)) return null;
        using var stream = File.OpenRead(Path);
        var start = Math.Max(0, stream.Length - TailBytes);
        stream.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            try
            {
                if (JsonSerializer.Deserialize<Line>(lines[i], JsonSerializerOptions.Web) is { Note: { Length: > 0 } note }) return note;
            }
            catch (JsonException)
            {
                // A line torn by a crash mid-append, or the cut-off first line of the tail.
            }
        }
        return null;
    }
}
