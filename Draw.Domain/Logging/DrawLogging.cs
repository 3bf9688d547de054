using Draw.Domain.Settings;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace Draw.Domain.Logging;

/// <summary>
/// Serilog behind Microsoft.Extensions.Logging for both processes: the console and a daily rolling
/// file under the data root's logs/ folder. Scopes (series, work item) are written with each line.
/// </summary>
public static class DrawLogging
{
    public static void AddDrawLogging(this ILoggingBuilder logging, DataRoot dataRoot, string processName)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(dataRoot);
        const string template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{Scope}{NewLine}{Exception}";
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            // Keys live in secrets/ (owner-only); the "unencrypted at rest" notice is expected there.
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: template, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(
                Path.Combine(dataRoot.Logs, processName + "-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 30,
                fileSizeLimitBytes: 100 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                outputTemplate: template,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        logging.ClearProviders();
        logging.AddSerilog(logger, dispose: true);
    }
}
