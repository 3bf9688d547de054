using System.Security.Cryptography;
using System.Text;
using Draw.Domain.Settings;

namespace Draw.Domain.Privacy;

/// <summary>
/// The one way identifiers (patient IDs, names, accession numbers, UIDs) reach a log: as a short
/// keyed hash. The same identifier always masks to the same token on one site, so operators can
/// follow a case through the logs, but the token cannot be reversed or guessed from a list of IDs
/// without the site's key (kept under secrets/ in the data root).
/// </summary>
public sealed class LogMask
{
    private readonly byte[] key;

    public LogMask(DataRoot dataRoot)
        : this(Encoding.UTF8.GetBytes((dataRoot ?? throw new ArgumentNullException(nameof(dataRoot))).ReadOrCreateSecret("log-mask.key")))
    {
    }

    public LogMask(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        this.key = key;
    }

    public string Mask(string? identifier)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            return "(none)";
        }

        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(identifier), hash);
        return "~" + Convert.ToHexStringLower(hash[..5]);
    }
}
