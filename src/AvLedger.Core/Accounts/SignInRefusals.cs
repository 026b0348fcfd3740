using System.Globalization;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;

namespace AvLedger.Core.Accounts;

public static class SignInRefusals
{
    /// <summary>Too many wrong passwords: the name is locked until <paramref name="until"/>, said in China time.</summary>
    public static Refusal LockedOut(DateTimeOffset until) =>
        new(403, "account-locked", "until", RecordingTimes.ToChina(until).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
}
