using System.Text;

namespace Draw.Dicom.Core.Text;

/// <summary>
/// Specific Character Set (0008,0005) decoding per PS3.5 6.1 and PS3.3 C.12.1.1.2: single-byte sets,
/// UTF-8, GB18030, GBK and ISO 2022 code extensions with escape sequences (G0/G1 designation).
/// </summary>
public sealed class DicomCharacterSet
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    static DicomCharacterSet()
    {
        // ISO 8859-x, TIS-620, EUC-JP/KR, GB18030 and GBK come from the code pages provider of the BCL.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private readonly Charset _initialG0;
    private readonly Charset _initialG1;
    private readonly Encoding? _whole;

    private DicomCharacterSet(string[] terms, Charset g0, Charset g1, Encoding? whole, bool usesExtensions)
    {
        Terms = terms;
        _initialG0 = g0;
        _initialG1 = g1;
        _whole = whole;
        UsesCodeExtensions = usesExtensions;
    }

    /// <summary>The default repertoire (ISO_IR 6, ASCII); bytes above 0x7F are read as Latin-1 so nothing is lost.</summary>
    public static DicomCharacterSet Default { get; } = new([], Charset.Ascii, Charset.None, null, false);

    public static DicomCharacterSet Utf8 { get; } = new(["ISO_IR 192"], Charset.Ascii, Charset.None, Encoding.UTF8, false);

    /// <summary>The defined terms as given in the dataset.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>ISO 2022 escape sequences may switch character sets inside a value.</summary>
    public bool UsesCodeExtensions { get; }

    public bool IsUtf8 => ReferenceEquals(_whole, Encoding.UTF8);

    /// <summary>Terms this implementation does not know; their bytes are decoded as Latin-1.</summary>
    public IReadOnlyList<string> UnknownTerms { get; private init; } = [];

    /// <summary>Builds the character set from the backslash-separated value of (0008,0005).</summary>
    public static DicomCharacterSet FromValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }

        var terms = value.Split('\\');
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = terms[i].Trim();
        }

        var unknown = new List<string>();
        var first = Normalise(terms[0]);
        var extensions = terms.Length > 1 || first.StartsWith("ISO 2022", StringComparison.Ordinal);
        Encoding? whole = null;
        var g0 = Charset.Ascii;
        var g1 = Charset.None;
        switch (first)
        {
            case "ISO_IR 192":
                whole = Encoding.UTF8;
                break;
            case "GB18030":
                whole = Encoding.GetEncoding(54936);
                break;
            case "GBK":
                whole = Encoding.GetEncoding(936);
                break;
            default:
                var set = TermToCharset(first);
                if (set is null)
                {
                    unknown.Add(terms[0]);
                }
                else if (set.Value.IsG0)
                {
                    g0 = set.Value;
                }
                else
                {
                    g1 = set.Value;
                }

                break;
        }

        for (var i = 1; i < terms.Length; i++)
        {
            if (terms[i].Length > 0 && TermToCharset(Normalise(terms[i])) is null)
            {
                unknown.Add(terms[i]);
            }
        }

        if (whole is not null && extensions && terms.Length > 1)
        {
            // UTF-8, GB18030 and GBK do not allow code extensions (PS3.3 C.12.1.1.2); ignore the extra terms.
            extensions = false;
        }

        return new DicomCharacterSet(terms, g0, g1, whole, extensions && whole is null) { UnknownTerms = unknown };
    }

    /// <summary>Accepts common misspellings such as "ISO-IR 100" or "ISO_IR100" (seen in real files).</summary>
    private static string Normalise(string term)
    {
        var t = term.Trim().ToUpperInvariant();
        if (t.StartsWith("ISO-IR", StringComparison.Ordinal) || t.StartsWith("ISO IR", StringComparison.Ordinal))
        {
            t = "ISO_IR" + t[6..];
        }

        if (t.StartsWith("ISO_IR", StringComparison.Ordinal) && t.Length > 6 && t[6] != ' ')
        {
            t = "ISO_IR " + t[6..];
        }

        return t;
    }

    private static Charset? TermToCharset(string term) => term switch
    {
        "" or "ISO_IR 6" or "ISO 2022 IR 6" => Charset.Ascii,
        "ISO_IR 100" or "ISO 2022 IR 100" => Charset.SingleByte(28591),
        "ISO_IR 101" or "ISO 2022 IR 101" => Charset.SingleByte(28592),
        "ISO_IR 109" or "ISO 2022 IR 109" => Charset.SingleByte(28593),
        "ISO_IR 110" or "ISO 2022 IR 110" => Charset.SingleByte(28594),
        "ISO_IR 144" or "ISO 2022 IR 144" => Charset.SingleByte(28595),
        "ISO_IR 127" or "ISO 2022 IR 127" => Charset.SingleByte(28596),
        "ISO_IR 126" or "ISO 2022 IR 126" => Charset.SingleByte(28597),
        "ISO_IR 138" or "ISO 2022 IR 138" => Charset.SingleByte(28598),
        "ISO_IR 148" or "ISO 2022 IR 148" => Charset.SingleByte(28599),
        "ISO_IR 166" or "ISO 2022 IR 166" => Charset.SingleByte(874),
        "ISO_IR 13" or "ISO 2022 IR 13" => Charset.Katakana,
        "ISO 2022 IR 87" => Charset.Jis0208,
        "ISO 2022 IR 159" => Charset.Jis0212,
        "ISO 2022 IR 149" => Charset.Ksx1001,
        "ISO 2022 IR 58" => Charset.Gb2312,
        "ISO_IR 192" or "GB18030" or "GBK" => Charset.Ascii,
        _ => null,
    };

    /// <summary>Decodes a value of a text VR. Multi-byte sets and escapes are handled; backslashes survive.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (!vr.IsAffectedByCharacterSet())
        {
            return Latin1.GetString(bytes);
        }

        if (_whole is not null)
        {
            return _whole.GetString(bytes);
        }

        if (!UsesCodeExtensions)
        {
            if (_initialG1.CodePage != 0)
            {
                return _initialG1.Encoding.GetString(bytes);
            }

            if (_initialG1.Kind == CharsetKind.Katakana)
            {
                return DecodeIso2022(bytes, vr);
            }

            return Latin1.GetString(bytes);
        }

        return DecodeIso2022(bytes, vr);
    }

    /// <summary>True when every character of the text can be written with this character set
    /// without code extensions (the writer only needs this for ASCII and UTF-8).</summary>
    public bool CanEncode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsUtf8 || _whole is not null)
        {
            return true;
        }

        foreach (var c in text)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Encodes text for a VR; callers make sure <see cref="CanEncode"/> holds first.</summary>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (vr.IsAffectedByCharacterSet() && _whole is not null)
        {
            return _whole.GetBytes(text);
        }

        return Latin1.GetBytes(text);
    }

    private string DecodeIso2022(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        var sb = new StringBuilder(bytes.Length);
        var g0 = _initialG0;
        var g1 = _initialG1;
        var i = 0;
        Span<byte> pair = stackalloc byte[3];
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == 0x1B)
            {
                var consumed = ParseEscape(bytes[i..], ref g0, ref g1);
                if (consumed > 0)
                {
                    i += consumed;
                    continue;
                }

                // Unknown escape: keep the byte so nothing silently disappears.
                sb.Append((char)b);
                i++;
                continue;
            }

            if (b < 0x80)
            {
                if (g0.Kind == CharsetKind.Jis0208 && b >= 0x21 && b <= 0x7E && i + 1 < bytes.Length)
                {
                    pair[0] = (byte)(b | 0x80);
                    pair[1] = (byte)(bytes[i + 1] | 0x80);
                    sb.Append(EucJp.GetString(pair[..2]));
                    i += 2;
                    continue;
                }

                if (g0.Kind == CharsetKind.Jis0212 && b >= 0x21 && b <= 0x7E && i + 1 < bytes.Length)
                {
                    pair[0] = 0x8F;
                    pair[1] = (byte)(b | 0x80);
                    pair[2] = (byte)(bytes[i + 1] | 0x80);
                    sb.Append(EucJp.GetString(pair));
                    i += 2;
                    continue;
                }

                var c = (char)b;
                sb.Append(c);
                if (IsResetDelimiter(c, vr))
                {
                    // PS3.5 6.1.2.5.3: the initial character sets are active again after these delimiters.
                    g0 = _initialG0;
                    g1 = _initialG1;
                }

                i++;
                continue;
            }

            switch (g1.Kind)
            {
                case CharsetKind.SingleByte:
                    sb.Append(g1.Encoding.GetString(bytes.Slice(i, 1)));
                    i++;
                    break;
                case CharsetKind.Katakana:
                    sb.Append(b is >= 0xA1 and <= 0xDF ? (char)(0xFF61 + (b - 0xA1)) : (char)b);
                    i++;
                    break;
                case CharsetKind.Ksx1001 or CharsetKind.Gb2312 when i + 1 < bytes.Length:
                    sb.Append(g1.Encoding.GetString(bytes.Slice(i, 2)));
                    i += 2;
                    break;
                default:
                    sb.Append(Latin1.GetString(bytes.Slice(i, 1)));
                    i++;
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsResetDelimiter(char c, DicomVR vr) =>
        c is '\\' or '\r' or '\n' or '\t' or '\f' || (vr == DicomVR.PN && c is '^' or '=');

    /// <summary>Reads one escape sequence; returns the bytes consumed, or 0 when it is not one we know.</summary>
    private static int ParseEscape(ReadOnlySpan<byte> s, ref Charset g0, ref Charset g1)
    {
        if (s.Length >= 3 && s[1] == (byte)'(')
        {
            switch (s[2])
            {
                case (byte)'B': g0 = Charset.Ascii; return 3;
                case (byte)'J': g0 = Charset.Ascii; return 3; // JIS X 0201 Romaji: read as ASCII so backslash stays a delimiter
            }
        }

        if (s.Length >= 3 && s[1] == (byte)')' && s[2] == (byte)'I')
        {
            g1 = Charset.Katakana;
            return 3;
        }

        if (s.Length >= 3 && s[1] == (byte)'$' && s[2] == (byte)'B')
        {
            g0 = Charset.Jis0208;
            return 3;
        }

        if (s.Length >= 4 && s[1] == (byte)'$' && s[2] == (byte)'(' && s[3] == (byte)'D')
        {
            g0 = Charset.Jis0212;
            return 4;
        }

        if (s.Length >= 4 && s[1] == (byte)'$' && s[2] == (byte)')')
        {
            switch (s[3])
            {
                case (byte)'C': g1 = Charset.Ksx1001; return 4;
                case (byte)'A': g1 = Charset.Gb2312; return 4;
            }
        }

        if (s.Length >= 3 && s[1] == (byte)'-')
        {
            int cp = s[2] switch
            {
                (byte)'A' => 28591,
                (byte)'B' => 28592,
                (byte)'C' => 28593,
                (byte)'D' => 28594,
                (byte)'L' => 28595,
                (byte)'G' => 28596,
                (byte)'F' => 28597,
                (byte)'H' => 28598,
                (byte)'M' => 28599,
                (byte)'T' => 874,
                _ => 0,
            };
            if (cp != 0)
            {
                g1 = Charset.SingleByte(cp);
                return 3;
            }
        }

        return 0;
    }

    private static Encoding EucJp => s_eucJp ??= Encoding.GetEncoding(20932);

    private static Encoding? s_eucJp;

    private enum CharsetKind : byte
    {
        None,
        Ascii,
        SingleByte,
        Katakana,
        Jis0208,
        Jis0212,
        Ksx1001,
        Gb2312,
    }

    private readonly record struct Charset(CharsetKind Kind, int CodePage)
    {
        public static Charset None => new(CharsetKind.None, 0);

        public static Charset Ascii => new(CharsetKind.Ascii, 0);

        public static Charset Katakana => new(CharsetKind.Katakana, 0);

        public static Charset Jis0208 => new(CharsetKind.Jis0208, 0);

        public static Charset Jis0212 => new(CharsetKind.Jis0212, 0);

        public static Charset Ksx1001 => new(CharsetKind.Ksx1001, 51949);

        public static Charset Gb2312 => new(CharsetKind.Gb2312, 936);

        public static Charset SingleByte(int codePage) => new(CharsetKind.SingleByte, codePage);

        public bool IsG0 => Kind is CharsetKind.Ascii or CharsetKind.Jis0208 or CharsetKind.Jis0212;

        // Encoding.GetEncoding looks the code page up in the provider's tables on every call; a scan decodes
        // with the same few code pages millions of times.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Encoding> s_byCodePage = new();

        public Encoding Encoding => s_byCodePage.GetOrAdd(CodePage, static codePage => Encoding.GetEncoding(codePage));
    }
}
