using AvLedger.Core.Ledger;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Ledger;

/// <summary>The append-only log: sequencing, signed checkpoints, proofs and its health.</summary>
public static class LedgerModule
{
    public static IServiceCollection AddLedgerModule(this IServiceCollection services)
    {
        services.AddSingleton(sp => LedgerKeys.LoadOrCreate(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value));
        services.AddScoped<LedgerSequencer>();
        services.AddSingleton<ISignedCheckpointLog>(sp =>
            new CheckpointFile(Path.Combine(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.StateDir!, CheckpointFile.FileName)));
        services.AddScoped<LedgerCheckpoints>();
        services.AddScoped<LedgerReads>();
        services.AddSingleton<LedgerHealth>();
        services.AddSingleton<LedgerSignal>();
        services.AddHostedService<LedgerWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapLedgerModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("账本与核验");
        feature.MapLedger();
        return app;
    }
}
