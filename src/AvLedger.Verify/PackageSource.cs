using System.IO.Compression;

namespace AvLedger.Verify;

/// <summary>The files of a package, either inside its ZIP or unzipped in a folder. Paths are the
/// package's own ("originals/x.mp4"), always with forward slashes.</summary>
abstract class PackageSource : IDisposable
{
    public abstract IReadOnlyList<string> Paths { get; }

    /// <summary>Paths that occur more than once in the ZIP: a reader could be shown either copy.</summary>
    public virtual IReadOnlyList<string> Duplicates => [];

    public abstract bool Exists(string path);

    /// <summary>A read stream over the file's bytes; the caller disposes it. Never buffers the file.</summary>
    public abstract Stream Open(string path);

    public abstract void Dispose();

    public static PackageSource At(string location) =>
        Directory.Exists(location) ? new FolderSource(location) : new ZipSource(location);

    /// <summary>A package path names a file below the package root: no "..", no rooted or backslash paths.</summary>
    public static bool IsSafe(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains(':', StringComparison.Ordinal)
        && path.Split('/').All(p => p.Length > 0 && p != "." && p != "..");

    sealed class ZipSource : PackageSource
    {
        readonly FileStream file;
        readonly ZipArchive zip;
        readonly Dictionary<string, ZipArchiveEntry> entries = new(StringComparer.Ordinal);
        readonly List<string> duplicates = [];

        public ZipSource(string path)
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            try
            {
                zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
            }
            catch
            {
                file.Dispose();
                throw;
            }
            foreach (var e in zip.Entries)
            {
                if (e.FullName.EndsWith('/')) continue;
                if (!entries.TryAdd(e.FullName, e)) duplicates.Add(e.FullName);
            }
        }

        public override IReadOnlyList<string> Paths => [.. entries.Keys];
        public override IReadOnlyList<string> Duplicates => duplicates;
        public override bool Exists(string path) => entries.ContainsKey(path);
        public override Stream Open(string path) => entries[path].Open();
        public override void Dispose() => zip.Dispose();
    }

    sealed class FolderSource(string root) : PackageSource
    {
        readonly string root = Path.GetFullPath(root);

        public override IReadOnlyList<string> Paths =>
            [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))];

        public override bool Exists(string path) => IsSafe(path) && File.Exists(Path.Combine(root, path));

        public override Stream Open(string path) =>
            new FileStream(Path.Combine(root, path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

        public override void Dispose() { }
    }
}
