using System.Collections;
using System.Globalization;
using System.Reflection;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Health;

/// <summary>
/// The worker's effective configuration as the dashboard shows it: every bindable setting of the
/// sections people change, flattened to Section:Key, with secrets masked. Read once at start
/// (options do not change while the worker runs).
/// </summary>
internal sealed class EffectiveSettings(IServiceProvider services)
{
    /// <summary>Setting names ending so hold secrets: their values never leave the worker.</summary>
    private static readonly string[] SecretWords = ["Token", "Password", "SharedKey", "ConnectionString", "Secret"];

    private readonly Lazy<IReadOnlyList<SettingEntry>> entries = new(() => Collect(services));

    public IReadOnlyList<SettingEntry> Entries => entries.Value;

    private static List<SettingEntry> Collect(IServiceProvider services)
    {
        var result = new List<SettingEntry>();
        Add<DrawServerOptions>(services, DrawServerOptions.Section, result);
        Add<ListenerOptions>(services, ListenerOptions.Section, result);
        Add<DeidentificationOptions>(services, DeidentificationOptions.Section, result);
        Add<IngestOptions>(services, IngestOptions.Section, result);
        Add<PipelineOptions>(services, PipelineOptions.Section, result);
        Add<WorkerOptions>(services, WorkerOptions.Section, result);
        Add<StorageOptions>(services, StorageOptions.Section, result);
        Add<DatabaseOptions>(services, DatabaseOptions.Section, result);
        Add<LiveOptions>(services, LiveOptions.Section, result);
        return result;
    }

    private static void Add<TOptions>(IServiceProvider services, string section, List<SettingEntry> result)
        where TOptions : class
    {
        if (services.GetService<IOptions<TOptions>>() is { } options)
        {
            Flatten(section["Draw:".Length..], "", options.Value, result);
        }
    }

    /// <summary>Walks the settable properties: values as text, lists joined, nested classes and dictionaries as Parent:Child.</summary>
    internal static void Flatten(string section, string prefix, object value, List<SettingEntry> result)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var key = prefix + property.Name;
            var current = property.GetValue(value);
            var secret = SecretWords.Any(w => property.Name.EndsWith(w, StringComparison.Ordinal));
            switch (current)
            {
                case null:
                    result.Add(new SettingEntry(section, key, "", secret));
                    break;
                case string text:
                    result.Add(new SettingEntry(section, key, secret ? WorkerReports.Masked(text) : text, secret));
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry item in dictionary)
                    {
                        Flatten(section, $"{key}:{item.Key}:", item.Value!, result);
                    }

                    break;
                case IEnumerable list:
                    result.Add(new SettingEntry(section, key, string.Join(", ", list.Cast<object>().Select(Text)), secret));
                    break;
                case var nested when property.PropertyType.IsClass:
                    Flatten(section, key + ":", nested, result);
                    break;
                default:
                    result.Add(new SettingEntry(section, key, secret ? WorkerReports.Masked(Text(current)) : Text(current), secret));
                    break;
            }
        }
    }

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
