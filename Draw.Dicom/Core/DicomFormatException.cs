namespace Draw.Dicom.Core;

/// <summary>
/// The one exception for truncated or malformed DICOM input. It names the file (or stream), the byte
/// offset and the element being read, never an element's value (values may hold patient data).
/// </summary>
public sealed class DicomFormatException : Exception
{
    public DicomFormatException()
    {
    }

    public DicomFormatException(string message)
        : base(message)
    {
    }

    public DicomFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomFormatException(string source, long offset, DicomTag? tag, string problem, Exception? innerException = null)
        : base(Compose(source, offset, tag, problem), innerException)
    {
        Source = source;
        Offset = offset;
        Tag = tag;
        Problem = problem;
    }

    /// <summary>File path, or a description of the stream.</summary>
    public new string? Source { get; }

    /// <summary>Byte offset in the file (or in the inflated data for deflated syntaxes) where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The element being read, when known.</summary>
    public DicomTag? Tag { get; }

    public string? Problem { get; }

    private static string Compose(string source, long offset, DicomTag? tag, string problem) =>
        tag is { } t
            ? $"{source}: malformed DICOM at offset {offset} in element {t}: {problem}"
            : $"{source}: malformed DICOM at offset {offset}: {problem}";
}
