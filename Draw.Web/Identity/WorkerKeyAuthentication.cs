using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Draw.Domain.Settings;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Draw.Web.Identity;

/// <summary>Authenticates worker processes on the live hub by the shared key in a request header.</summary>
internal sealed class WorkerKeyAuthenticationHandler(
    IOptionsMonitor<WorkerKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    LiveKey liveKey) : AuthenticationHandler<WorkerKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "WorkerKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(LiveHubContract.WorkerKeyHeader, out var presented) || presented.Count != 1)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = Encoding.UTF8.GetBytes(liveKey.Value);
        var actual = Encoding.UTF8.GetBytes(presented[0] ?? "");
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong worker key."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "worker"), new Claim(ClaimTypes.Role, DrawRoles.Worker)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

internal sealed class WorkerKeyAuthenticationOptions : AuthenticationSchemeOptions;
