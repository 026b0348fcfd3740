using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Approvals;

public sealed class ApprovalNumberTestsOnSqlite(SqliteFactory factory) : ApprovalNumberTests<SqliteFactory>(factory);

public sealed class ApprovalNumberTestsOnPostgres(PostgresFactory factory) : ApprovalNumberTests<PostgresFactory>(factory);

public abstract class ApprovalNumberTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    [Fact]
    public async Task Approvals_decided_at_the_same_moment_get_different_numbers()
    {
        var head = await factory.PersonAsync(Core.Accounts.Role.DepartmentHead);
        string unitId;
        using (var scope = factory.Services.CreateScope())
            unitId = await scope.ServiceProvider.GetRequiredService<AvLedgerDb>().Units.Where(u => u.Code == head.UnitCode).Select(u => u.Id).SingleAsync();
        var now = factory.Clock.GetUtcNow();
        var numbers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var scope = factory.Services.CreateScope();
            return await ApprovalNumbers.NextAsync(scope.ServiceProvider.GetRequiredService<AvLedgerDb>(), unitId, now, default);
        }));
        Assert.Equal(16, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.StartsWith(head.UnitCode + "音像审〔", n, StringComparison.Ordinal));
        Assert.Contains(numbers, n => n.EndsWith("〕16号", StringComparison.Ordinal));
    }

    /// <summary>A number once began with the unit's code (CQ-ZD-1音像审〔2026〕0002号) where the unit's short name belongs.</summary>
    [Fact]
    public async Task A_number_begins_with_the_units_short_name_and_counts_without_padding()
    {
        var head = await factory.PersonAsync(Core.Accounts.Role.DepartmentHead);
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AvLedgerDb>();
        var admin = await db.Accounts.AsNoTracking().SingleAsync(a => a.Username == Server.Hosting.Bootstrap.AdminUsername);
        Assert.Null(await services.GetRequiredService<Core.Units.UnitTree>().RenameAsync(new Core.Scoping.Scope(admin, factory.Clock.GetUtcNow()), head.UnitCode, null, " 渝交执法一支队 ", default));
        var unitId = await db.Units.Where(u => u.Code == head.UnitCode).Select(u => u.Id).SingleAsync();
        var now = factory.Clock.GetUtcNow();
        var year = Core.Records.RecordingTimes.ToChina(now).Year;
        Assert.Equal($"渝交执法一支队音像审〔{year}〕1号", await ApprovalNumbers.NextAsync(db, unitId, now, default));
        Assert.Equal($"渝交执法一支队音像审〔{year}〕2号", await ApprovalNumbers.NextAsync(db, unitId, now, default));
    }
}
