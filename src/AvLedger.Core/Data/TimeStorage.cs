using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Core.Data;

/// <summary>How the database keeps a <see cref="DateTimeOffset"/>. The project that chooses the provider
/// says which (AvLedger.Migrations.Sqlite, AvLedger.Migrations.Postgres), so the model never asks which
/// database it is on.</summary>
public enum TimeStorage
{
    /// <summary>A timestamp column, written in UTC.</summary>
    UtcTimestamp,
    /// <summary>UTC ticks in an integer column, for a database without a time type.</summary>
    UtcTicks,
}

public static class TimeStorageOptions
{
    public static DbContextOptionsBuilder UseTimeStorage(this DbContextOptionsBuilder builder, TimeStorage storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new TimeStorageExtension(storage));
        return builder;
    }
}

sealed class TimeStorageExtension(TimeStorage storage) : IDbContextOptionsExtension
{
    ExtensionInfo? info;

    public TimeStorage Storage => storage;

    public DbContextOptionsExtensionInfo Info => info ??= new ExtensionInfo(this);

    public static TimeStorage Of(DbContextOptions options) => options.FindExtension<TimeStorageExtension>()?.Storage
        ?? throw new InvalidOperationException("AvLedgerDb needs its time storage: open it with UseAvLedgerSqlite or UseAvLedgerPostgres.");

    public void ApplyServices(IServiceCollection services) { }

    public void Validate(IDbContextOptions options) { }

    /// <summary>Part of the internal service provider's identity, so models built for the two storages never share a cache.</summary>
    sealed class ExtensionInfo(TimeStorageExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => $"TimeStorage={extension.Storage} ";

        public override int GetServiceProviderHashCode() => extension.Storage.GetHashCode();

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
            other is ExtensionInfo o && o.Extension is TimeStorageExtension e && e.Storage == extension.Storage;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["AvLedger:TimeStorage"] = ((int)extension.Storage).ToString(CultureInfo.InvariantCulture);
    }
}
