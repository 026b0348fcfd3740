using System.Diagnostics;
using System.Globalization;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using Microsoft.EntityFrameworkCore;

// Appends N record leaves through the same path the server uses (pending rows written with EF,
// then the batched sequencer), then times inclusion proofs at random indices. Writes the leaf
// bytes to a file so bench/ledger.sh can time `openssl dgst -sha256` over the same bytes.
var leaves = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var dir = args.Length > 1 ? args[1] : Directory.CreateTempSubdirectory("avledger-ledger-bench-").FullName;
Directory.CreateDirectory(dir);
var options = new DbContextOptionsBuilder<AvLedgerDb>()
    .UseSqlite($"Data Source={Path.Combine(dir, "ledger.db")}", x => x.MigrationsAssembly("AvLedger.Migrations.Sqlite"))
    .Options;
await using (var db = new AvLedgerDb(options))
{
    await db.Database.MigrateAsync();
    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
}

var clock = TimeProvider.System;
var start = DateTimeOffset.UtcNow;
long bytes = 0;
var appendTimer = Stopwatch.StartNew();
await using (var leafFile = File.Create(Path.Combine(dir, "leaves.bin")))
{
    for (var written = 0; written < leaves;)
    {
        await using var db = new AvLedgerDb(options);
        var batch = Math.Min(LedgerSequencer.BatchSize, leaves - written);
        for (var i = 0; i < batch; i++, written++)
        {
            var record = new Record
            {
                Id = AvLedger.Core.Ids.New(), Sha256 = Convert.ToHexStringLower(BitConverter.GetBytes((long)written).Concat(new byte[24]).ToArray()),
                Size = 1_000_000 + written, FileName = "x.mp4", Format = "mp4", MediaKind = "video", ContentType = "video/mp4",
                DeviceCode = "DSJ-0001", OfficerBadge = "500101", RecordedStart = start, RecordedEnd = start.AddMinutes(5),
                RecordedStartSource = "metadata", SavedAt = start.AddMinutes(6), UploadedById = "01M8CPD3Z0TWV7KER0T4C5X40J", UploadChannel = "tus",
            };
            var pending = LedgerLeaves.RecordStored(record, clock.GetUtcNow());
            bytes += pending.Leaf.Length;
            leafFile.Write(pending.Leaf);
            db.LedgerPending.Add(pending);
        }
        await db.SaveChangesAsync();
    }
}
var pendingSeconds = appendTimer.Elapsed.TotalSeconds;
long size = 0;
while (true)
{
    await using var db = new AvLedgerDb(options);
    if (await new LedgerSequencer(db, clock).SequenceBatchAsync(default) is not { } grown) break;
    size = grown;
}
var totalSeconds = appendTimer.Elapsed.TotalSeconds;

var random = new Random(20261126);
var latencies = new List<double>();
await using (var db = new AvLedgerDb(options))
{
    for (var i = 0; i < 2000; i++)
    {
        var index = random.NextInt64(size);
        var t = Stopwatch.GetTimestamp();
        var proof = await LedgerProofs.InclusionAsync(db, index, size, default);
        latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        if (proof.Length == 0 && size > 1) throw new InvalidOperationException("empty proof");
    }
}
latencies.Sort();
double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];

Console.WriteLine(FormattableString.Invariant($"leaves: {size} ({bytes / 1048576.0:F1} MiB of canonical JSON)"));
Console.WriteLine(FormattableString.Invariant($"append, end to end: {size / totalSeconds:F0} leaves/s ({pendingSeconds:F1} s writing pending rows + {totalSeconds - pendingSeconds:F1} s sequencing)"));
Console.WriteLine(FormattableString.Invariant($"sequencer: {size / (totalSeconds - pendingSeconds):F0} leaves/s in batches of {LedgerSequencer.BatchSize}"));
Console.WriteLine(FormattableString.Invariant($"append bytes: {bytes / 1048576.0 / totalSeconds:F1} MiB/s"));
Console.WriteLine(FormattableString.Invariant($"proof latency at {size} leaves: p50 {Percentile(0.5):F3} ms, p99 {Percentile(0.99):F3} ms (2000 random indices, SQLite)"));
Console.WriteLine($"leaf bytes: {Path.Combine(dir, "leaves.bin")}");
