using Draw.Domain.Export;

namespace Draw.Domain.Tests.Export;

public sealed class LedgerCsvTests
{
    [Fact]
    public async Task Cells_are_quoted_when_needed_and_formulas_are_defused()
    {
        var entry = new ExportLedgerEntry
        {
            DestinationName = "Share, main", SopInstanceUid = "1.2.3", SourcePath = "/x/\"q\".dcm", RequestedBy = "harvest",
            PatientId = "=cmd|' /C calc'!A0", PatientName = "DOE^JANE", ExportedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            Result = LedgerResult.Failed, Error = "line1\nline2", Attempts = 3,
        };
        using var writer = new StringWriter();

        await LedgerCsv.WriteAsync(writer, new[] { entry }.ToAsyncEnumerable(), CancellationToken.None);

        var lines = writer.ToString().Split("\r\n");
        Assert.Equal(string.Join(',', LedgerCsv.Header), lines[0]);
        Assert.StartsWith("2026-01-02 03:04:05,Failed,\"Share, main\",Folder,'=cmd|' /C calc'!A0,DOE^JANE,1.2.3,", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"/x/\"\"q\"\".dcm\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"line1\nline2\"", writer.ToString(), StringComparison.Ordinal);
    }
}
