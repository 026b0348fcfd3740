using System.IO.Compression;
using System.Text;

namespace AvLedger.Verify;

/// <summary>The files of a package, either inside its ZIP or unzipped in a folder. Paths are the
/// package's own ("originals/x.mp4"), always with forward slashes.</summary>
abstract class PackageSource : IDisposable
{
    /// <summary>Every entry exactly as the package names it, in its order: for a ZIP, directory entries
    /// and repeated names too, since an unzip program acts on each of them.</summary>
    public abstract IReadOnlyList<string> Entries { get; }

    /// <summary>Paths that occur more than once in the ZIP: a reader could be shown either copy.</summary>
    public IEnumerable<string> Duplicates => Entries.GroupBy(e => e, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);

    public abstract bool Exists(string path);

    /// <summary>A read stream over the file's bytes; the caller disposes it. Never buffers the file.</summary>
    public abstract Stream Open(string path);

    public abstract void Dispose();

    public static PackageSource At(string location) =>
        Directory.Exists(location) ? new FolderSource(location) : new ZipSource(location);

    sealed class ZipSource : PackageSource
    {
        readonly FileStream file;
        readonly ZipArchive zip;
        readonly Dictionary<string, ZipArchiveEntry> entries = new(StringComparer.Ordinal);
        readonly List<string> names = [];

        public ZipSource(string path)
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            try
            {
                // Names are read as UTF-8 whatever the entry's flag says, as verify.html reads them.
                zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false, Encoding.UTF8);
            }
            catch
            {
                file.Dispose();
                throw;
            }
            foreach (var e in zip.Entries)
            {
                names.Add(e.FullName);
                if (!e.FullName.EndsWith('/')) entries.TryAdd(e.FullName, e);
            }
        }

        public override IReadOnlyList<string> Entries => names;
        public override bool Exists(string path) => entries.ContainsKey(path);
        public override Stream Open(string path) => entries[path].Open();
        public override void Dispose() => zip.Dispose();
    }

    sealed class FolderSource(string root) : PackageSource
    {
        readonly string root = Path.GetFullPath(root);

        public override IReadOnlyList<string> Entries =>
            [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

        // Only names the verifier has already found canonical reach here (PackageLayout.IsCanonical).
        public override bool Exists(string path) => File.Exists(Path.Combine(root, path));

        public override Stream Open(string path) =>
            new FileStream(Path.Combine(root, path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

        public override void Dispose() { }
    }
}
