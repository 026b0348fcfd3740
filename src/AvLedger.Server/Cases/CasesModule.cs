using AvLedger.Core.Cases;
using AvLedger.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Cases;

/// <summary>Cases, their links to records and sessions, and imports from the enforcement management system (Art. 15).</summary>
public static class CasesModule
{
    public static IServiceCollection AddCasesModule(this IServiceCollection services) => services
        .AddSingleton(sp => new CaseLinkBuffer(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.CaseLinkBuffer))
        .AddScoped<CaseRegister>()
        .AddScoped<CaseImport>();

    public static IEndpointRouteBuilder MapCasesModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("案件");
        feature.MapCases();
        return app;
    }
}
