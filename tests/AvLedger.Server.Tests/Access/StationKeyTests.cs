using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AvLedger.Server.Tests.Access;

public sealed class StationKeyTestsOnSqlite(SqliteFactory factory) : StationKeyTests<SqliteFactory>(factory);

public sealed class StationKeyTestsOnPostgres(PostgresFactory factory) : StationKeyTests<PostgresFactory>(factory);

/// <summary>Collection stations upload with a key that opens nothing else.</summary>
public abstract class StationKeyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : AvLedgerFactory
{
    async Task<(HttpClient Station, string KeyId, AvLedgerFactory.Person Officer, string StationCode)> StationAsync()
    {
        var officer = await factory.PersonAsync();
        var code = "CJZ-" + officer.Badge;
        using var admin = await factory.AdminAsync();
        (await admin.PostAsJsonAsync("/api/v1/devices", new { code, kind = "collectionStation", unitCode = officer.UnitCode })).EnsureSuccessStatusCode();
        using var issued = await admin.PostAsync($"/api/v1/stations/{code}/keys", null);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        using var doc = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        var key = doc.RootElement.GetProperty("key").GetString()!;
        Assert.StartsWith("avl_st_", key, StringComparison.Ordinal);
        var station = factory.CreateClient();
        station.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (station, doc.RootElement.GetProperty("id").GetString()!, officer, code);
    }

    [Fact]
    public async Task A_station_uploads_for_an_officer_and_the_record_is_the_officers()
    {
        var (station, _, officer, code) = await StationAsync();
        var status = await Tus.UploadAsync(station, await Tus.NewSampleAsync(1), 256 * 1024, "DSJ_20261120093000.mp4", ("officerBadge", officer.Badge), ("deviceCode", officer.DeviceCode));
        Assert.Equal("stored", status.State);
        // The station learns nothing back, not even the record id.
        Assert.Null(status.RecordId);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AvLedgerDb>();
        var record = await db.Records.OrderByDescending(r => r.SavedAt).FirstAsync(r => r.OfficerBadge == officer.Badge);
        Assert.False(record.Unassigned);
        using var own = factory.ClientWith(await factory.TokenAsync(officer.Username, officer.Password));
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/v1/records/{record.Id}")).StatusCode);
        station.Dispose();
        _ = code;
    }

    [Theory]
    [InlineData("/api/v1/records")]
    [InlineData("/api/v1/ledger/checkpoint")]
    [InlineData("/api/v1/access-requests")]
    [InlineData("/api/v1/devices")]
    public async Task A_station_key_opens_nothing_but_uploads(string path)
    {
        var (station, _, _, _) = await StationAsync();
        using var response = await station.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        station.Dispose();
    }

    [Fact]
    public async Task A_revoked_key_stops_at_once_and_both_events_are_on_the_alert_list()
    {
        var (station, keyId, _, code) = await StationAsync();
        using var admin = await factory.AdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/stations/{code}/keys/{keyId}/revoke", null)).StatusCode);
        using var response = await Tus.CreateAsync(station, "10", Tus.Metadata(("filename", "a.mp4"), ("sha256", new string('a', 64))));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var alerts = await admin.GetStringAsync("/api/v1/admin/alerts");
        Assert.Contains("station.key-issued", alerts, StringComparison.Ordinal);
        Assert.Contains("station.key-revoked", alerts, StringComparison.Ordinal);
        station.Dispose();
    }

    [Fact]
    public async Task Keys_are_only_for_collection_stations_and_only_a_custodian_of_its_unit_or_an_administrator_issues_them()
    {
        var (station, _, officer, code) = await StationAsync();
        station.Dispose();
        using var admin = await factory.AdminAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/stations/{officer.DeviceCode}/keys", null)).StatusCode);
        var custodian = await factory.ColleagueAsync(officer, Role.DeviceCustodian);
        using var own = factory.ClientWith(await factory.TokenAsync(custodian.Username, custodian.Password));
        Assert.Equal(HttpStatusCode.Created, (await own.PostAsync($"/api/v1/stations/{code}/keys", null)).StatusCode);
        var stranger = await factory.PersonAsync(Role.DeviceCustodian);
        using var other = factory.ClientWith(await factory.TokenAsync(stranger.Username, stranger.Password));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/stations/{code}/keys", null)).StatusCode);
    }
}
