using AvLedger.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Accounts;

/// <summary>Accounts and their passwords, role grants, the administration alerts and the directory import.</summary>
public static class AccountsModule
{
    public static IServiceCollection AddAccountsModule(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton(sp => new SeparationOfDuties(sp.GetRequiredService<IOptions<AvLedgerOptions>>().Value.SingleAdministrator));
        services.AddScoped<AccountDirectory>();
        services.AddScoped<RoleGrantReview>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountsModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("用户与角色");
        feature.MapUsers();
        feature.MapRoleGrants();
        feature.MapAdministrationAlerts();
        feature.MapDirectoryImport();
        return app;
    }
}
