using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AvLedger.Storage;

/// <summary>
/// A file stream that asks the kernel to start writing dirty pages back every few megabytes
/// (sync_file_range, SYNC_FILE_RANGE_WRITE). Durability still comes from the final fsync; this
/// only lets the disk work while data keeps arriving, so that fsync has little left to do.
/// </summary>
public sealed partial class WritebackStream(FileStream file, bool startWriteback = true) : Stream
{
    const long Window = 32L * 1024 * 1024;
    long pendingFrom = file.Position;

    public FileStream File => file;
    public override bool CanRead => false;
    public override bool CanSeek => file.CanSeek;
    public override bool CanWrite => true;
    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set
        {
            file.Position = value;
            pendingFrom = value;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        file.Write(buffer);
        StartWritebackIfDue();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    void StartWritebackIfDue()
    {
        var position = file.Position;
        if (!startWriteback || position - pendingFrom < Window || OperatingSystem.IsWindows()) return;
        file.Flush(flushToDisk: false);
        _ = SyncFileRange(file.SafeFileHandle, pendingFrom, position - pendingFrom, 2 /* SYNC_FILE_RANGE_WRITE */);
        pendingFrom = position;
    }

    /// <summary>Makes everything written durable.</summary>
    public void FlushToDisk() => file.Flush(flushToDisk: true);

    public override void Flush() => file.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => Position = file.Seek(offset, origin);
    public override void SetLength(long value) => file.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing) file.Dispose();
        base.Dispose(disposing);
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
