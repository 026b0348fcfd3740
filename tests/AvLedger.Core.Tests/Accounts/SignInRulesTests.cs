using System.Text;
using AvLedger.Core.Accounts;
using AvLedger.Core.Refusals;

namespace AvLedger.Core.Tests.Accounts;

/// <summary>The pure parts of signing in: lockout arithmetic, one-time codes and their one use per step.</summary>
public sealed class SignInRulesTests
{
    static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1234567890L, "005924")]
    public void Codes_are_the_rfc_6238_ones(long unixSeconds, string code) =>
        Assert.Equal(code, OneTimeCodes.Code(RfcSecret, OneTimeCodes.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));

    [Fact]
    public void A_code_matches_its_step_and_the_one_either_side_only()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = OneTimeCodes.StepAt(now);
        Assert.Equal(step, OneTimeCodes.Match(RfcSecret, OneTimeCodes.Code(RfcSecret, step), now));
        Assert.Equal(step - 1, OneTimeCodes.Match(RfcSecret, OneTimeCodes.Code(RfcSecret, step - 1), now));
        Assert.Equal(step + 1, OneTimeCodes.Match(RfcSecret, OneTimeCodes.Code(RfcSecret, step + 1), now));
        Assert.Null(OneTimeCodes.Match(RfcSecret, OneTimeCodes.Code(RfcSecret, step - 2), now));
        Assert.Null(OneTimeCodes.Match(RfcSecret, "12345", now));
        Assert.Null(OneTimeCodes.Match(RfcSecret, "12345a", now));
        Assert.Null(OneTimeCodes.Match(RfcSecret, null, now));
    }

    [Fact]
    public void Base32_round_trips_a_twenty_byte_secret()
    {
        var secret = SecondFactor.NewSecret();
        Assert.Equal(32, secret.Length);
        Assert.Equal(secret, OneTimeCodes.ToBase32(OneTimeCodes.FromBase32(secret)));
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", OneTimeCodes.ToBase32(RfcSecret));
    }

    [Theory]
    [InlineData(null, 10L, true)]
    [InlineData(9L, 10L, true)]
    [InlineData(10L, 10L, false)]
    [InlineData(11L, 10L, false)]
    public void A_step_is_used_once_and_never_after_a_later_one(long? lastUsed, long step, bool usable) =>
        Assert.Equal(usable, SecondFactor.Unused(lastUsed, step));

    [Fact]
    public void The_lockout_checks_max_failures_attempts_and_locks_on_the_last_failure()
    {
        var lockout = new Lockout(5, TimeSpan.FromMinutes(15));
        Assert.False(lockout.LocksAfterFailing(4));
        Assert.True(lockout.LocksAfterFailing(5));
        Assert.False(lockout.RefusesUnchecked(5));
        Assert.True(lockout.RefusesUnchecked(6));
        var now = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddMinutes(15), lockout.Until(now));
        Assert.True(Lockout.StillLocked(now.AddSeconds(1), now));
        Assert.False(Lockout.StillLocked(now, now));
        Assert.False(Lockout.StillLocked(null, now));
    }

    [Fact]
    public void Replacing_a_factor_keeps_the_totp_required_code_with_its_own_title()
    {
        Assert.Equal(SignInRefusals.TotpRequired.Code, SignInRefusals.CurrentTotpRequired.Code);
        Assert.Equal("请输入当前的动态口令", SignInRefusals.CurrentTotpRequired.Title(Refusal.Chinese));
        Assert.Equal("Replacing the second factor needs the current 6-digit code (code).", SignInRefusals.CurrentTotpRequired.Detail(Refusal.English));
        Assert.Equal("请输入动态口令", SignInRefusals.TotpRequired.Title(Refusal.Chinese));
        Assert.Equal(TimeSpan.FromMinutes(1), SignInRefusals.TooManySignIns.RetryAfter);
    }
}
