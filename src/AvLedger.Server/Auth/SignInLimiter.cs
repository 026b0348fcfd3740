using System.Threading.RateLimiting;
using AvLedger.Core.Accounts;
using AvLedger.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Auth;

/// <summary>Sign-in attempts per username and minute, whichever client they come from (the per-client
/// limit alone would give a whole agency behind one proxy a single budget, and a botnet many).</summary>
public sealed class SignInLimiter(IOptions<AvLedgerOptions> options) : ISignInLimit, IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInsPerAccountPerMinute,
            Window = TimeSpan.FromMinutes(1),
        }));

    public bool TryTake(string username)
    {
        using var lease = limiter.AttemptAcquire(username);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
