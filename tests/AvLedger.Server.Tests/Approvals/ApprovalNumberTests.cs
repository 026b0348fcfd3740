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
        Assert.Contains(numbers, n => n.EndsWith("0016号", StringComparison.Ordinal));
    }
}
