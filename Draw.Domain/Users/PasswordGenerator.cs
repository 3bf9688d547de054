using System.Security.Cryptography;

namespace Draw.Domain.Users;

/// <summary>Generated passwords: shown once, stored only as Identity's hash.</summary>
public static class PasswordGenerator
{
    // No look-alikes (0/O, 1/l/I) so a password read off a terminal is typed right the first time.
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "-_.!+=";

    public static string Create(int length = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 8);
        var all = Upper + Lower + Digits + Symbols;
        var chars = new char[length];
        chars[0] = Pick(Upper);
        chars[1] = Pick(Lower);
        chars[2] = Pick(Digits);
        chars[3] = Pick(Symbols);
        for (var i = 4; i < length; i++)
        {
            chars[i] = Pick(all);
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static char Pick(string alphabet) => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
}
