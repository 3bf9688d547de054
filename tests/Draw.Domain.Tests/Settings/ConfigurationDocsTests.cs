using System.Reflection;
using Draw.Domain.Settings;
using Draw.Testing;

namespace Draw.Domain.Tests.Settings;

/// <summary>docs/configuration.md is the operators' reference: every key the code binds must be on it.</summary>
public sealed class ConfigurationDocsTests
{
    private static readonly string Docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "configuration.md"));

    public static TheoryData<string> BoundKeys()
    {
        var keys = new TheoryData<string>();
        foreach (var options in typeof(DatabaseOptions).Assembly.GetTypes().Where(t => t.Namespace == typeof(DatabaseOptions).Namespace))
        {
            if (options.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
            {
                foreach (var key in KeysOf(options, (string)field.GetRawConstantValue()!))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    [Theory]
    [MemberData(nameof(BoundKeys))]
    public void Every_bound_setting_is_documented(string key)
    {
        // Nested profile options (Default:X, Backends:<name>:X) are documented once by their own name.
        var documented = Docs.Contains($"`{key}`", StringComparison.Ordinal)
            || (key.Contains(":Default:", StringComparison.Ordinal) && Docs.Contains($"`{key[(key.LastIndexOf(':') + 1)..]}`", StringComparison.Ordinal));
        Assert.True(documented, $"{key} is bound by the code but missing from docs/configuration.md");
    }

    [Fact]
    public void The_key_list_is_not_empty()
    {
        // Guards the reflection above: if it found nothing, the theory would pass vacuously.
        Assert.True(BoundKeys().Count > 40);
    }

    private static IEnumerable<string> KeysOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                continue; // per-name sections, documented as <name> rows
            }

            if (propertyType.IsClass && propertyType != typeof(string) && !propertyType.IsGenericType)
            {
                foreach (var nested in KeysOf(propertyType, key))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }
}
