using System.Net;
using System.Net.Http.Json;
using AvLedger.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AvLedger.Server.Tests.Hosting;

public sealed class StrictSignInFactory : AvLedgerFactory
{
    protected override string Provider => "sqlite";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AvLedger:SignInsPerMinute", "3");
    }
}

public sealed class SignInLimitTests(StrictSignInFactory factory) : IClassFixture<StrictSignInFactory>
{
    [Fact]
    public async Task Password_guessing_is_slowed_to_the_configured_rate()
    {
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = $"guess-{i}" });
            statuses.Add(response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
