using Draw.Dicom.Core;
using Draw.Dicom.Network.Dimse;

namespace Draw.Dicom.Network.Client;

/// <summary>The outcome of sending one file: the peer's status, or a local error when it never got that far.</summary>
public sealed record DicomStoreFileResult(string Path, string? SopInstanceUid, DicomStatus Status, long Bytes, string? Error = null)
{
    public bool Succeeded => Error is null && Status.IsSuccessOrWarning;
}

/// <summary>The summary of a multi-file send.</summary>
public sealed record DicomStoreSummary(IReadOnlyList<DicomStoreFileResult> Files, int Associations, TimeSpan Duration)
{
    public int Succeeded => Files.Count(f => f.Succeeded && f.Status.IsSuccess);

    public int Warnings => Files.Count(f => f.Succeeded && f.Status.IsWarning);

    public int Failed => Files.Count(f => !f.Succeeded);

    public long Bytes => Files.Where(f => f.Succeeded).Sum(f => f.Bytes);
}

/// <summary>C-FIND matches and the final status.</summary>
public sealed record DicomFindResult(DicomStatus Status, IReadOnlyList<DicomDataset> Matches);

/// <summary>C-MOVE sub-operation counts as reported by the peer in its last response.</summary>
public sealed record DicomMoveResult(DicomStatus Status, int Completed, int Failed, int Warning, int Remaining);
