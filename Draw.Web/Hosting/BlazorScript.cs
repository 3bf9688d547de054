using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Draw.Web.Hosting;

/// <summary>
/// Serves _framework/blazor.web.js from the manifest resource of the 9.0 components assembly that
/// build/BlazorScript.targets copies beside the output (see there for why). Read once at start-up.
/// </summary>
internal static class BlazorScript
{
    public const string ResourceName = "_framework/blazor.web.js";
    public const string SourceFile = "blazor/script-source.dll";

    public static byte[] ExtractFrom(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var resourcesRva = pe.PEHeaders.CorHeader?.ResourcesDirectory.RelativeVirtualAddress
            ?? throw new InvalidDataException($"{assemblyPath} is not a .NET assembly.");
        foreach (var handle in reader.ManifestResources)
        {
            var resource = reader.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || !reader.StringComparer.Equals(resource.Name, ResourceName))
            {
                continue;
            }

            var blob = pe.GetSectionData(resourcesRva + (int)resource.Offset).GetReader();
            var length = blob.ReadInt32();
            return blob.ReadBytes(length);
        }

        throw new InvalidDataException($"{assemblyPath} holds no resource '{ResourceName}'.");
    }

    public static void MapBlazorScript(this WebApplication app)
    {
        var path = Path.Combine(AppContext.BaseDirectory, SourceFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Blazor's client script source is missing ({path}); rebuild Draw.Web.", path);
        }

        var script = ExtractFrom(path);
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(script))[..16] + "\"");
        app.MapGet("/" + ResourceName, (HttpContext context) =>
        {
            context.Response.Headers.ETag = etag.ToString();
            context.Response.Headers.CacheControl = "no-cache";
            if (context.Request.Headers.IfNoneMatch.ToString() == etag.ToString())
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Bytes(script, "text/javascript");
        }).AllowAnonymous();
    }
}
