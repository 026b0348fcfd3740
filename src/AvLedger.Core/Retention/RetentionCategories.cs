namespace AvLedger.Core.Retention;

public static class RetentionCategories
{
    public const string General = "general";

    /// <summary>Art. 13 and, for the longer kinds, the national police rule: kept until the case file's disposal.</summary>
    public static RetentionCategory[] Defaults =>
    [
        new() { Code = General, Name = "一般", Days = Records.RecordingTimes.MinimumRetentionDays },
        new() { Code = "evidence", Name = "作为证据使用", Days = null },
        new() { Code = "partyObstructed", Name = "当事人阻挠执法或损毁记录设备", Days = null },
        new() { Code = "majorIncident", Name = "重大突发事件", Days = null },
        new() { Code = "complaintOrDispute", Name = "投诉或争议", Days = null },
    ];
}
