namespace AvLedger.Core.Records;

/// <summary>Art. 4: the enforcement activities that are recorded, plus inquiry-room recording.</summary>
public static class ActivityTypes
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["onSitePenalty"] = "当场处罚",
        ["emergency"] = "重大突发事件、群体性事件现场处置",
        ["complaint"] = "投诉举报现场受理和处置",
        ["licensing"] = "行政许可现场受理和处置",
        ["petition"] = "涉及执法的信访现场处置",
        ["jointEnforcement"] = "联合执法现场",
        ["inspection"] = "监督检查",
        ["inquiry"] = "询问室询问",
        ["other"] = "其他需要记录的情形",
    };

    public static bool IsKnown(string code) => All.ContainsKey(code);
}

/// <summary>The activity types in force here: the built-in list, less those switched off, plus those
/// the department added (configuration <c>AvLedger:ActivityTypes</c>).</summary>
public sealed class ActivityTypeCatalog
{
    public IReadOnlyDictionary<string, string> All { get; }

    public ActivityTypeCatalog(IReadOnlyDictionary<string, string>? added = null, IEnumerable<string>? disabled = null)
    {
        var off = new HashSet<string>(disabled ?? [], StringComparer.Ordinal);
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in ActivityTypes.All.Concat(added ?? new Dictionary<string, string>()))
            if (!off.Contains(code)) all[code] = name;
        All = all;
    }

    public bool IsKnown(string code) => All.ContainsKey(code);

    public string? NameOf(string? code) => code is not null && All.TryGetValue(code, out var name) ? name : code;
}
