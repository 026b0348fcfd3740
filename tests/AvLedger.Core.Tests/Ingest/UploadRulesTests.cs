using System.Text;
using AvLedger.Core.Accounts;
using AvLedger.Core.Devices;
using AvLedger.Core.Ingest;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;

namespace AvLedger.Core.Tests.Ingest;

/// <summary>The upload rules that need no database: who uploads, which devices one may name, and what a
/// creation request must say before any byte is taken.</summary>
public sealed class UploadRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    static Scope Of(Role roles, string? unitId = "u1", string? badge = null, string username = "p") => new(new Account
    {
        Id = username, Username = username, PasswordHash = "", Roles = roles, DisplayName = username, Badge = badge, UnitId = unitId, UnitPath = unitId,
    }, Now);

    static Scope Station() => Of(Role.DeviceCustodian, unitId: "u1", username: Account.StationPrefix + "S1");

    static Device Device(string code, string? unitId) => new() { Id = code, Code = code, Kind = DeviceKind.BodyWornRecorder, UnitId = unitId };

    static string Meta(params (string Key, string Value)[] pairs) =>
        string.Join(",", pairs.Select(p => p.Key + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))));

    static readonly string Sha = new('a', 64);

    [Fact]
    public void Stations_custodians_and_officers_with_a_badge_upload_nobody_else()
    {
        Assert.Null(Uploads.MayUpload(Station()));
        Assert.Null(Uploads.MayUpload(Of(Role.DeviceCustodian)));
        Assert.Null(Uploads.MayUpload(Of(Role.Officer, badge: "001")));
        Assert.Equal("upload-not-permitted", Uploads.MayUpload(Of(Role.Officer))?.Code);
        Assert.Equal(403, Uploads.MayUpload(Of(Role.DepartmentHead | Role.Inspector, badge: "002"))?.Status);
    }

    [Fact]
    public void A_person_names_a_device_of_their_unit_a_station_any_registered_one()
    {
        var devices = new[] { Device("A", "u1"), Device("B", "u2"), Device("C", null) }.AsQueryable();
        Assert.Equal(["A"], Of(Role.Officer, badge: "001").DevicesToName(devices).Select(d => d.Code));
        Assert.Equal(["A", "B", "C"], Station().DevicesToName(devices).Select(d => d.Code));
        Assert.Empty(Of(Role.Officer, unitId: null, badge: "001").DevicesToName(devices));
    }

    [Theory]
    [InlineData(null, true, "defer-length")]
    [InlineData("", false, "length-missing")]
    [InlineData("-1", false, "length-invalid")]
    [InlineData("1e3", false, "length-invalid")]
    [InlineData("0", false, "empty")]
    public void Upload_length_must_be_a_positive_integer_given_up_front(string? length, bool defer, string code)
    {
        var refused = Uploads.CheckLength(new Uploads.NewUpload(length, defer, null), 100).Refusal!;
        Assert.Equal((400, code), (refused.Status, refused.Code));
        Assert.Equal("Invalid upload request", refused.Title(Refusal.English));
    }

    [Fact]
    public void An_upload_over_the_limit_keeps_its_own_title_under_the_shared_code()
    {
        var refused = Uploads.CheckLength(new Uploads.NewUpload("101", false, null), 100).Refusal!;
        Assert.Equal((413, "too-large"), (refused.Status, refused.Code));
        Assert.Equal("文件超过上传上限：文件 101 字节，上限 100 字节。", refused.Describe(Refusal.Chinese));
        Assert.Equal("Upload too large: The file is 101 bytes; the limit is 100 bytes.", refused.Describe(Refusal.English));
        Assert.Equal(100, Uploads.CheckLength(new Uploads.NewUpload("100", false, null), 100).Value);
    }

    [Fact]
    public void Metadata_must_parse_carry_the_whole_file_sha256_and_a_plain_file_name()
    {
        Assert.Equal("metadata-invalid", Uploads.CheckMetadata("sha256 !!!").Refusal?.Code);
        Assert.Equal("Upload-Metadata is malformed: metadata value of 'sha256' is not base64.", Uploads.CheckMetadata("sha256 !!!").Refusal?.Detail(Refusal.English));
        Assert.Equal("sha256-missing", Uploads.CheckMetadata(Meta(("filename", "a.mp4"))).Refusal?.Code);
        Assert.Equal("sha256-missing", Uploads.CheckMetadata(Meta(("sha256", "abc"))).Refusal?.Code);
        Assert.Equal("filename-invalid", Uploads.CheckMetadata(Meta(("sha256", Sha), ("filename", "../x.mp4"))).Refusal?.Code);
        Assert.Equal("metadata-invalid", Uploads.CheckMetadata(Meta(("sha256", Sha), ("officerBadge", "00\u202e1"))).Refusal?.Code);
        var meta = Uploads.CheckMetadata(Meta(("sha256", Sha), ("filename", "录像 1.mp4"), ("deviceCode", "A"))).Value!;
        Assert.Equal("录像 1.mp4", meta["filename"]);
        Assert.Equal("A", meta["deviceCode"]);
    }

    [Fact]
    public void A_gone_upload_says_whether_it_expired_or_was_ended()
    {
        static Upload Made(UploadState state, string? error, DateTimeOffset expires) =>
            new() { Id = "x", CreatedById = "p", FileName = "f", Sha256 = Sha, State = state, Error = error, ExpiresAt = expires };
        Assert.True(Uploads.IsGone(Made(UploadState.Receiving, null, Now), Now));
        Assert.False(Uploads.IsGone(Made(UploadState.Receiving, null, Now.AddSeconds(1)), Now));
        Assert.False(Uploads.IsGone(Made(UploadState.Stored, null, Now), Now));
        Assert.Equal("此上传已过期，请重新上传。", Uploads.Gone(Made(UploadState.Rejected, Uploads.Expired, Now)).Detail(Refusal.Chinese));
        Assert.Equal("This upload was ended; start a new one.", Uploads.Gone(Made(UploadState.Rejected, "terminated by the client", Now)).Detail(Refusal.English));
    }
}
