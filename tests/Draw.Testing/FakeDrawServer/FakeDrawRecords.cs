namespace Draw.Testing.FakeDraw;

/// <summary>One request as the fake received it (Authorization verbatim, so tests can check it was sent).</summary>
public sealed record FakeDrawRequest(string Method, string Path, string? Authorization, string? ContentType, int StatusCode, DateTimeOffset At);

/// <summary>One accepted or refused upload.</summary>
public sealed record FakeDrawUpload(string? TaskId, string? FileName, string? ClientId, string? Checksum, string? ActualChecksum, long Bytes, string? Authorization, string? FileContentType);

/// <summary>One confirmation and its JSON body.</summary>
public sealed record FakeDrawConfirmation(string TaskId, string Body, bool Accepted);
