using Draw.Domain.Segmentation;
using Microsoft.AspNetCore.DataProtection;

namespace Draw.Worker.Backends.DrawApi;

/// <summary>Token payloads encrypted with the data root's Data Protection keys (application "DRAW"), as the web does.</summary>
public sealed class DataProtectionTokenProtector(IDataProtectionProvider provider) : ITokenProtector
{
    private readonly IDataProtector protector = (provider ?? throw new ArgumentNullException(nameof(provider))).CreateProtector(TokenStore.ProtectionPurpose);

    public string Protect(string plaintext) => protector.Protect(plaintext);

    public string Unprotect(string protectedText) => protector.Unprotect(protectedText);
}
