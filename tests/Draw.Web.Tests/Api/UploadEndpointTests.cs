using System.IO.Compression;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Api;

/// <summary>A zip posted to the dashboard ends as an indexed series, through the real processes.</summary>
public sealed class UploadEndpointTests
{
    [Fact]
    public async Task A_physicist_uploads_a_zip_a_viewer_cannot_and_an_oversized_one_is_refused()
    {
        var settings = new Dictionary<string, string>
        {
            ["Draw__Ingest__UploadQuietPeriodSeconds"] = "1",
            ["Draw__Ingest__UploadScanIntervalSeconds"] = "5",
            ["Draw__Ingest__CompletionCheckSeconds"] = "1",
            ["Draw__Ingest__UploadMaxBytes"] = "20000000",
        };
        await using var stack = await DrawStack.StartAsync(settings: settings);
        var physicist = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        var viewer = await TestUsers.CreateAsync(stack.Database, "viewer", DrawRoles.Viewer);
        var zip = ZipOfSlices(10);
        await using var chromium = await Chromium.LaunchAsync();

        var (page, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "phys", physicist);
        var response = await page.APIRequest.PostAsync(stack.WebUrl + "/api/uploads", new()
        {
            Multipart = page.APIRequest.CreateFormData().Set("file", new FilePayload { Name = "ten-slices.zip", MimeType = "application/zip", Buffer = zip }),
        });
        Assert.Equal(201, response.Status);

        var series = await WaitForAsync(stack, async db => await db.Series.FirstOrDefaultAsync(s => s.Status == SeriesStatus.Unprocessed), TimeSpan.FromSeconds(45));
        Assert.Equal(10, series.InstanceCount);
        Assert.Equal(SeriesSource.Upload, series.Source);
        await using (var db = stack.Database.CreateContext())
        {
            var upload = await db.Uploads.SingleAsync();
            Assert.Equal(UploadStatus.Extracted, upload.Status);
            Assert.Equal("phys", upload.UploadedBy);
            Assert.Equal(zip.Length, upload.SizeBytes);
        }

        var tooLarge = await page.APIRequest.PostAsync(stack.WebUrl + "/api/uploads?fileName=big.zip", new() { DataByte = new byte[21_000_000], Headers = new Dictionary<string, string> { ["Content-Type"] = "application/zip" } });
        Assert.Equal(413, tooLarge.Status);
        Assert.Contains("Draw:Ingest:UploadMaxBytes", await tooLarge.TextAsync(), StringComparison.Ordinal);

        var (viewerPage, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(viewerPage, stack.WebUrl, "viewer", viewer);
        var refused = await viewerPage.APIRequest.PostAsync(stack.WebUrl + "/api/uploads?fileName=x.zip", new() { DataByte = zip, MaxRedirects = 0 });
        Assert.True(refused.Status is 403 or 302, $"a viewer's upload answered {refused.Status}");
        await using (var db = stack.Database.CreateContext())
        {
            Assert.Equal(1, await db.Uploads.CountAsync());
        }
    }

    private static byte[] ZipOfSlices(int count)
    {
        var folder = Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image");
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal).Take(count))
            {
                archive.CreateEntryFromFile(file, "CT/" + Path.GetFileName(file));
            }
        }

        return memory.ToArray();
    }

    private static Task<T> WaitForAsync<T>(DrawStack stack, Func<Domain.Persistence.DrawDbContext, Task<T?>> probe, TimeSpan timeout)
        where T : class =>
        Eventually.ValueAsync(
            async () =>
            {
                await using var db = stack.Database.CreateContext();
                return await probe(db);
            },
            timeout,
            TimeSpan.FromMilliseconds(250),
            () => Task.FromResult(stack.Logs));
}
