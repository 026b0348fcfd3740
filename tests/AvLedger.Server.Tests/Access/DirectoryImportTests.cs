using System.Net;
using System.Text;
using System.Text.Json;
using AvLedger.Server.Tests.Infrastructure;

namespace AvLedger.Server.Tests.Access;

public sealed class DirectoryImportTestsOnSqlite(SqliteFactory factory) : DirectoryImportTests<SqliteFactory>(factory);

public sealed class DirectoryImportTestsOnPostgres(PostgresFactory factory) : DirectoryImportTests<PostgresFactory>(factory);

public abstract class DirectoryImportTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task A_unit_tree_and_its_people_import_from_csv()
    {
        using var admin = await factory.AdminAsync();
        using var units = await admin.PostAsync("/api/v1/units/import", Csv("code,name,parentCode\nIMP-ZD,导入总队,\nIMP-ZD-1,导入一支队,IMP-ZD\n\"IMP-ZD-1-1\",\"一大队, 东片\",IMP-ZD-1\n"));
        Assert.Equal(HttpStatusCode.OK, units.StatusCode);
        using var users = await admin.PostAsync("/api/v1/users/import", Csv("username,password,badge,name,unitCode,roles\nimp-officer,import-pass-1,730001,导入警员,IMP-ZD-1-1,officer\nimp-head,import-pass-2,,导入队长,IMP-ZD-1,departmentHead;inspector\n"));
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        using var list = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/units"));
        var unit = list.RootElement.EnumerateArray().Single(u => u.GetProperty("code").GetString() == "IMP-ZD-1-1");
        Assert.Equal("一大队, 东片", unit.GetProperty("name").GetString());
        Assert.Equal(2, unit.GetProperty("depth").GetInt32());
        using var people = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/users?q=imp-"));
        var head = people.RootElement.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("username").GetString() == "imp-head");
        Assert.Equal(["departmentHead", "inspector"], head.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.True(head.GetProperty("mustChangePassword").GetBoolean());
    }

    [Fact]
    public async Task One_bad_line_imports_nothing_and_every_bad_line_is_named()
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.PostAsync("/api/v1/users/import",
            Csv("username,password,badge,name,unitCode,roles\nbad-import-ok,import-pass-1,,好,NO-SUCH-UNIT,inspector\nbad-import-2,short,,坏,,officer\nbad-import-3,import-pass-3,,坏,,wizard\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([2, 3, 4], doc.RootElement.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("line").GetInt32()).ToArray());
        using var people = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/users?q=bad-import"));
        Assert.Equal(0, people.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_file_without_the_needed_columns_is_refused_with_their_names()
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.PostAsync("/api/v1/units/import", Csv("名称\n一中队\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("code", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
