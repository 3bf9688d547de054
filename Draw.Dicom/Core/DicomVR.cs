namespace Draw.Dicom.Core;

/// <summary>The 34 value representations of PS3.5 Table 6.2-1; <see cref="None"/> for items and delimiters.</summary>
public enum DicomVR : byte
{
    None = 0,
    AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
}

/// <summary>The encoding rules of each VR (PS3.5 6.2 and 7.1.2), as fast table lookups.</summary>
public static class DicomVRInfo
{
    // Indexed by (int)DicomVR. Kept as spans over static data so a lookup never allocates.
    private static ReadOnlySpan<byte> Flags =>
    [
        0,
        Str | PadSpace, Str | PadSpace, Bin, Str | PadSpace, Str | PadSpace, Str | PadSpace, Str | PadSpace, Bin, Bin, Str | PadSpace,
        Str | PadSpace | Charset, Str | PadSpace | Charset | Single, Bin | Long, Bin | Long, Bin | Long, Bin | Long, Bin | Long, Bin | Long,
        Str | PadSpace | Charset, Str | PadSpace | Charset, Bin, Long, Bin, Str | PadSpace | Charset | Single, Bin | Long, Str | PadSpace,
        Str | PadSpace | Charset | Long, Str, Bin, Long, Str | PadSpace | Long | Single, Bin, Str | PadSpace | Charset | Long | Single, Bin | Long,
    ];

    // Size in bytes of one binary value; 0 for strings, SQ and UN.
    private static ReadOnlySpan<byte> UnitSizes =>
    [
        0,
        0, 0, 4, 0, 0, 0, 0, 8, 4, 0,
        0, 0, 1, 8, 4, 4, 8, 2,
        0, 0, 4, 0, 2, 0, 8, 0,
        0, 0, 4, 0, 0, 2, 0, 8,
    ];

    private const byte Str = 1;      // value is text
    private const byte Bin = 2;      // value is binary numbers or bytes
    private const byte Long = 4;     // explicit VR header has 2 reserved bytes and a 32-bit length
    private const byte PadSpace = 8; // odd-length values are padded with a space (UI pads with NUL)
    private const byte Charset = 16; // text affected by Specific Character Set (PS3.5 6.1.2.3)
    private const byte Single = 32;  // backslash is not a value delimiter (LT, ST, UT, UR)

    public static bool IsString(this DicomVR vr) => (Flags[(int)vr] & Str) != 0;

    public static bool IsBinary(this DicomVR vr) => (Flags[(int)vr] & Bin) != 0;

    /// <summary>In explicit VR encoding, OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV use a 32-bit length (PS3.5 7.1.2).</summary>
    public static bool HasLongExplicitLength(this DicomVR vr) => (Flags[(int)vr] & Long) != 0;

    public static bool IsAffectedByCharacterSet(this DicomVR vr) => (Flags[(int)vr] & Charset) != 0;

    /// <summary>LT, ST, UT and UR hold one value that may contain backslashes.</summary>
    public static bool IsSingleValued(this DicomVR vr) => (Flags[(int)vr] & Single) != 0;

    /// <summary>Byte size of one value of a binary VR (2 for US/SS/OW, 4 for UL/SL/FL/OF/OL/AT, 8 for FD/OD/SV/UV/OV, 1 for OB); 0 otherwise.</summary>
    public static int UnitSize(this DicomVR vr) => UnitSizes[(int)vr];

    /// <summary>The byte used to pad an odd-length value to even length (PS3.5 6.2).</summary>
    public static byte PaddingByte(this DicomVR vr) => vr == DicomVR.UI ? (byte)0 : (Flags[(int)vr] & PadSpace) != 0 ? (byte)' ' : (byte)0;

    /// <summary>Largest value length in characters for string VRs (PS3.5 Table 6.2-1); 0 when only the 32-bit length limits it.</summary>
    public static int MaxLength(this DicomVR vr) => vr switch
    {
        DicomVR.AE => 16,
        DicomVR.AS => 4,
        DicomVR.CS => 16,
        DicomVR.DA => 8,
        DicomVR.DS => 16,
        DicomVR.DT => 26,
        DicomVR.IS => 12,
        DicomVR.LO => 64,
        DicomVR.LT => 10240,
        DicomVR.PN => 64,
        DicomVR.SH => 16,
        DicomVR.ST => 1024,
        DicomVR.TM => 14,
        DicomVR.UI => 64,
        _ => 0,
    };

    /// <summary>Two-letter code of the VR, as written in explicit VR encoding.</summary>
    public static string Code(this DicomVR vr) => vr == DicomVR.None ? "--" : Names[(int)vr];

    private static readonly string[] Names = Enum.GetNames<DicomVR>();

    /// <summary>Decodes the two VR bytes of an explicit VR element header; false when they name no VR.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        vr = ((first << 8) | second) switch
        {
            0x4145 => DicomVR.AE, 0x4153 => DicomVR.AS, 0x4154 => DicomVR.AT, 0x4353 => DicomVR.CS,
            0x4441 => DicomVR.DA, 0x4453 => DicomVR.DS, 0x4454 => DicomVR.DT, 0x4644 => DicomVR.FD,
            0x464C => DicomVR.FL, 0x4953 => DicomVR.IS, 0x4C4F => DicomVR.LO, 0x4C54 => DicomVR.LT,
            0x4F42 => DicomVR.OB, 0x4F44 => DicomVR.OD, 0x4F46 => DicomVR.OF, 0x4F4C => DicomVR.OL,
            0x4F56 => DicomVR.OV, 0x4F57 => DicomVR.OW, 0x504E => DicomVR.PN, 0x5348 => DicomVR.SH,
            0x534C => DicomVR.SL, 0x5351 => DicomVR.SQ, 0x5353 => DicomVR.SS, 0x5354 => DicomVR.ST,
            0x5356 => DicomVR.SV, 0x544D => DicomVR.TM, 0x5543 => DicomVR.UC, 0x5549 => DicomVR.UI,
            0x554C => DicomVR.UL, 0x554E => DicomVR.UN, 0x5552 => DicomVR.UR, 0x5553 => DicomVR.US,
            0x5554 => DicomVR.UT, 0x5556 => DicomVR.UV,
            _ => DicomVR.None,
        };
        return vr != DicomVR.None;
    }

    public static bool TryParse(string? code, out DicomVR vr)
    {
        vr = DicomVR.None;
        return code is { Length: 2 } && TryParse((byte)code[0], (byte)code[1], out vr);
    }
}
