using System.Globalization;

namespace Draw.Dicom.Network.Dimse;

/// <summary>How a DIMSE status code is to be read (PS3.7 C.1).</summary>
public enum DicomStatusCategory
{
    Success,
    Pending,
    Cancel,
    Warning,
    Failure,
}

/// <summary>
/// A DIMSE status (0000,0900) with its category, plus the optional error comment a peer sent. The named
/// values are the ones DRAW sends or tests for (PS3.4 B.2.3, C.4; PS3.7 C).
/// </summary>
public readonly record struct DicomStatus(ushort Code, string? ErrorComment = null)
{
    public static DicomStatus Success => new(0x0000);

    public static DicomStatus Pending => new(0xFF00);

    public static DicomStatus PendingWithWarnings => new(0xFF01);

    public static DicomStatus Cancel => new(0xFE00);

    /// <summary>Storage warning: the data set was coerced.</summary>
    public static DicomStatus CoercionOfDataElements => new(0xB000);

    public static DicomStatus ElementsDiscarded => new(0xB006);

    public static DicomStatus DataSetDoesNotMatchSopClassWarning => new(0xB007);

    /// <summary>Storage failure: out of resources (0xA7xx).</summary>
    public static DicomStatus OutOfResources => new(0xA700);

    public static DicomStatus DataSetDoesNotMatchSopClass => new(0xA900);

    /// <summary>Storage failure: cannot understand (0xCxxx).</summary>
    public static DicomStatus CannotUnderstand => new(0xC000);

    public static DicomStatus SopClassNotSupported => new(0x0122);

    public static DicomStatus ProcessingFailure => new(0x0110);

    public static DicomStatus DuplicateSopInstance => new(0x0111);

    public static DicomStatus UnrecognizedOperation => new(0x0211);

    public static DicomStatus MoveDestinationUnknown => new(0xA801);

    public static DicomStatus UnableToProcess => new(0xC001);

    public DicomStatusCategory Category => Code switch
    {
        0x0000 => DicomStatusCategory.Success,
        0xFF00 or 0xFF01 => DicomStatusCategory.Pending,
        0xFE00 => DicomStatusCategory.Cancel,
        0x0001 or 0x0107 or 0x0116 or (>= 0xB000 and <= 0xBFFF) => DicomStatusCategory.Warning,
        _ => DicomStatusCategory.Failure,
    };

    public bool IsSuccess => Category == DicomStatusCategory.Success;

    public bool IsPending => Category == DicomStatusCategory.Pending;

    public bool IsWarning => Category == DicomStatusCategory.Warning;

    public bool IsFailure => Category == DicomStatusCategory.Failure;

    /// <summary>Success or warning: the operation was done.</summary>
    public bool IsSuccessOrWarning => Category is DicomStatusCategory.Success or DicomStatusCategory.Warning;

    public DicomStatus WithComment(string comment) => this with { ErrorComment = comment };

    public override string ToString() =>
        ErrorComment is null
            ? string.Create(CultureInfo.InvariantCulture, $"{Category} (0x{Code:X4})")
            : string.Create(CultureInfo.InvariantCulture, $"{Category} (0x{Code:X4}): {ErrorComment}");

    public bool Equals(DicomStatus other) => Code == other.Code;

    public override int GetHashCode() => Code.GetHashCode();
}
