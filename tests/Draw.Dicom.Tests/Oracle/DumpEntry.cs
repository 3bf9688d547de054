namespace Draw.Dicom.Tests.Oracle;

/// <summary>One element of a flattened dataset: its path through sequences, VR, length and value text.
/// Value null means "not compared" (not loaded by dcmdump, or bulk data); Length null means unknown.</summary>
public sealed record DumpEntry(string Path, string VR, long? Length, string? Value)
{
    /// <summary>DRAW side only: the raw bytes of a UN element, to reinterpret with another VR.</summary>
    public byte[]? RawUn { get; init; }

    public override string ToString() => $"{Path} {VR} #{Length?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} [{Value}]";
}
