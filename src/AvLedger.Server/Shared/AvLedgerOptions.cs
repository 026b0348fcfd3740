namespace AvLedger.Server.Shared;

/// <summary>The "AvLedger" configuration section (also AvLedger__X environment variables).</summary>
public sealed class AvLedgerOptions
{
    public const string Section = "AvLedger";

    const UnixFileMode PrivateDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>This node's private (0700) working folder in the data dir: decrypted originals for
    /// ffmpeg, packages being made, receipts being checked. Per node, because nodes may share the data
    /// dir; emptied when the node starts (<see cref="ClearWorkDir"/>), since whatever is there belongs
    /// to work that died with the previous process.</summary>
    public string WorkDir => Path.Combine(DataDir, "tmp", NodeFolder(NodeId));

    /// <summary>A path in <see cref="WorkDir"/>, created if need be.</summary>
    public string WorkPath(string name)
    {
        Directory.CreateDirectory(Path.Combine(DataDir, "tmp"), PrivateDir);
        Directory.CreateDirectory(WorkDir, PrivateDir);
        return Path.Combine(WorkDir, name);
    }

    /// <summary>A fresh private folder for one job's media tool run, deleted when disposed: the tool
    /// sees the job's own input and output in it and nothing else.</summary>
    public JobDir NewJobDir(string name) => new(Directory.CreateDirectory(WorkPath($"{name}-{Guid.NewGuid():N}"), PrivateDir).FullName);

    /// <summary>Removes what an earlier process on this node left in its working folder (a kill -9 leaves plaintext behind).</summary>
    public void ClearWorkDir()
    {
        if (Directory.Exists(WorkDir)) Directory.Delete(WorkDir, recursive: true);
        // Versions before per-node folders kept decrypted originals directly in tmp.
        var tmp = Path.Combine(DataDir, "tmp");
        if (Directory.Exists(tmp))
            foreach (var file in Directory.EnumerateFiles(tmp)) File.Delete(file);
    }

    static string NodeFolder(string nodeId) =>
        nodeId.Length is > 0 and <= 64 && nodeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && nodeId[0] != '.'
            ? nodeId
            : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(nodeId)))[..16];

    /// <summary>Everything the embedded default keeps: database, blobs, partial uploads (and, unless set
    /// apart, keys and state). Made private (0700); the SQLite files in it are 0600.</summary>
    public string DataDir { get; set; } = "data";
    /// <summary>The master key, the checkpoint signing key and the web's data-protection keys (0700, files
    /// 0600); default &lt;data&gt;/keys. Put it on another volume so a copy of the data carries no keys.</summary>
    public string? KeyDir { get; set; }
    /// <summary>What the server must remember apart from its database: the append-only file of the
    /// checkpoints it signed (0700, files 0600); default &lt;data&gt;/state. Put it on another volume (or
    /// a mount the database's editors cannot write) so a rewritten database cannot make it forget.</summary>
    public string? StateDir { get; set; }
    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string DatabaseProvider { get; set; } = "sqlite";
    /// <summary>Required for postgres; for sqlite defaults to avledger.db under the data dir.</summary>
    public string? ConnectionString { get; set; }
    /// <summary>Base64 of 32 bytes; else a key file in the key dir (AVLEDGER_MASTER_KEY also works).</summary>
    public string? MasterKey { get; set; }
    /// <summary>Names this node in job leases; several nodes may share one database.</summary>
    public string NodeId { get; set; } = Environment.MachineName;
    public UploadOptions Uploads { get; set; } = new();
    public LedgerOptions Ledger { get; set; } = new();
    /// <summary>How long an access token is good for; a refresh token gets the next one.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The absolute end of a sign-in (web cookie, or a chain of refreshed tokens): no activity extends it.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>Sign-in requests allowed per client address and minute (slows password guessing).</summary>
    public int SignInsPerMinute { get; set; } = 30;
    /// <summary>Sign-in attempts allowed per username and minute, from whatever clients.</summary>
    public int SignInsPerAccountPerMinute { get; set; } = 10;
    /// <summary>Reverse proxies (IP addresses) whose X-Forwarded-For names the client; from anyone else the header is ignored.</summary>
    public string[] TrustedProxies { get; set; } = [];
    public LockoutOptions Lockout { get; set; } = new();
    /// <summary>Separation of duties: false (default) makes a role reaching others' records (head, inspector,
    /// legal officer, auditor, administrator) or state-secret clearance wait for a second person's
    /// confirmation. True lets an installation with only one administrator grant them alone; every such
    /// grant is audited as such, and /healthz and the administration page say so while it is on.</summary>
    public bool SingleAdministrator { get; set; }
    /// <summary>Downloads (copies) one person may make per hour; more is refused and logged (bulk copying is a warning sign).</summary>
    public int DownloadsPerHour { get; set; } = 60;
    public EnforcementSessionOptions Sessions { get; set; } = new();
    /// <summary>Activity types the department adds to Art. 4's list (code → Chinese name).</summary>
    public Dictionary<string, string> ActivityTypes { get; set; } = [];
    /// <summary>Built-in activity types the department does not use.</summary>
    public string[] DisabledActivityTypes { get; set; } = [];
    /// <summary>Art. 15: how far before and after an enforcement event a recording may lie and still be linked to its case.</summary>
    public TimeSpan CaseLinkBuffer { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>How far an uploader's claimed recording time may lie from the media's own before the record is
    /// flagged for its head (device clocks drift; a typed time is rounded).</summary>
    public TimeSpan RecordedTimeTolerance { get; set; } = TimeSpan.FromMinutes(2);
    public RetentionOptions Retention { get; set; } = new();
}

/// <summary>A job's private working folder (see <see cref="AvLedgerOptions.NewJobDir"/>).</summary>
public sealed class JobDir(string path) : IDisposable
{
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = path;

    /// <summary>A file in this folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates an empty 0600 file, so what a tool writes into it is private from the start.</summary>
    public string NewPrivateFile(string name)
    {
        var file = File(name);
        using (new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Private })) { }
        return file;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

public sealed class EnforcementSessionOptions
{
    /// <summary>Recordings of the same officer, or of a device already in a session, this close in time join one session.</summary>
    public TimeSpan GroupingWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>A gap between segments longer than this is an interruption that must be explained (Art. 11).</summary>
    public TimeSpan InterruptionThreshold { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed class RetentionOptions
{
    /// <summary>Art. 13: after a head approves a purge, how long it can still be cancelled before the original is destroyed.</summary>
    public TimeSpan RecoveryWindow { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How often expired records are looked for and due purges carried out.</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>After a rejected or cancelled purge, how long before the record is proposed again.</summary>
    public TimeSpan ReproposeAfter { get; set; } = TimeSpan.FromDays(90);
}

public sealed class LockoutOptions
{
    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    public int MaxFailures { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class UploadOptions
{
    /// <summary>Largest accepted recording, bytes (default 64 GiB).</summary>
    public long MaxSize { get; set; } = 64L * 1024 * 1024 * 1024;
    /// <summary>A partial upload untouched this long expires and its bytes are removed.</summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Container formats accepted, by name (mp4, mov, avi, mkv, ts, flv, wav, mp3, aac, amr, jpeg).</summary>
    public string[] AcceptedFormats { get; set; } = ["mp4", "mov", "avi", "mkv", "ts", "flv", "wav", "mp3", "aac", "amr", "jpeg"];
    /// <summary>How often stale partial uploads are looked for.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>An upload declared but never sent a byte expires after this (never later than <see cref="Expiration"/>).</summary>
    public TimeSpan EmptyExpiration { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Bytes one person may have declared in unfinished uploads at once (default 256 GiB).</summary>
    public long UnfinishedBytesPerPerson { get; set; } = 256L * 1024 * 1024 * 1024;
    /// <summary>The same for a collection station, which docks many recorders (default 4 TiB).</summary>
    public long UnfinishedBytesPerStation { get; set; } = 4L * 1024 * 1024 * 1024 * 1024;
    /// <summary>Uploads one person may start per minute.</summary>
    public int CreationsPerMinutePerPerson { get; set; } = 60;
    /// <summary>Uploads one collection station may start per minute.</summary>
    public int CreationsPerMinutePerStation { get; set; } = 600;
}

public sealed class LedgerOptions
{
    /// <summary>Names this installation in checkpoints (the C2SP origin line); used when the key is first made.</summary>
    public string? Origin { get; set; }
    /// <summary>The checkpoint signer key (PRIVATE+KEY+…); else a key file made at first start in the key dir.</summary>
    public string? SignerKey { get; set; }
}
