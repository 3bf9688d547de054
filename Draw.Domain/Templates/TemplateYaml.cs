using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Draw.Domain.Templates;

/// <summary>
/// Writes the autosegmentation_template.yml the DRAW server reads:
/// <code>
/// name: &lt;template name&gt;
/// protocol: DRAW
/// models:
///   &lt;model id&gt;:
///     name: &lt;model name&gt;
///     config: &lt;config&gt;
///     map:
///       &lt;map id&gt;: &lt;TG-263 name&gt;
///     trainer_name: &lt;trainer&gt;
///     postprocess: &lt;postprocess or null&gt;
/// </code>
/// Models are ordered by model id and structures by map id; keys keep the order above; line ends
/// are "\n" and the text is UTF-8 without a byte order mark. The same template therefore always
/// gives the same bytes, and so the same SHA-512.
/// </summary>
public static partial class TemplateYaml
{
    public const string FileName = "autosegmentation_template.yml";

    public const string Protocol = "DRAW";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string Write(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, EmitterSettings.Default.WithNewLine("\n").WithBestIndent(2).WithBestWidth(int.MaxValue));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        emitter.Emit(new MappingStart());
        Pair(emitter, "name", template.Name);
        Pair(emitter, "protocol", Protocol);
        Key(emitter, "models");
        emitter.Emit(new MappingStart());
        foreach (var model in template.Models.OrderBy(m => m.ModelId))
        {
            Number(emitter, model.ModelId);
            emitter.Emit(new MappingStart());
            Pair(emitter, "name", model.Name);
            Pair(emitter, "config", model.Config);
            Key(emitter, "map");
            emitter.Emit(new MappingStart());
            foreach (var structure in model.Structures.OrderBy(s => s.MapId))
            {
                Number(emitter, structure.MapId);
                Text(emitter, structure.Name);
            }

            emitter.Emit(new MappingEnd());
            Pair(emitter, "trainer_name", model.TrainerName);
            Pair(emitter, "postprocess", model.Postprocess);
            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new MappingEnd());
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    public static byte[] WriteBytes(Template template) => Utf8.GetBytes(Write(template));

    /// <summary>Lower-case hex SHA-512 of the YAML bytes.</summary>
    public static string Sha512(Template template) => Convert.ToHexStringLower(SHA512.HashData(WriteBytes(template)));

    private static void Pair(Emitter emitter, string key, string? value)
    {
        Key(emitter, key);
        if (value is null)
        {
            emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
        }
        else
        {
            Text(emitter, value);
        }
    }

    private static void Key(Emitter emitter, string key) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, key, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    private static void Number(Emitter emitter, int value) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    /// <summary>
    /// A string value: plain when a YAML 1.1 reader (PyYAML) would read it back as that same string,
    /// else double-quoted (numbers, booleans, null, dates, empty or padded text).
    /// </summary>
    private static void Text(Emitter emitter, string value)
    {
        var style = NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, style, isPlainImplicit: style == ScalarStyle.Any, isQuotedImplicit: true));
    }

    internal static bool NeedsQuotes(string value) =>
        value.Length == 0 || value.Trim().Length != value.Length || ImplicitlyTyped().IsMatch(value);

    // Scalars that YAML 1.1 resolvers type implicitly: bool, null, int, float, timestamp, merge, value.
    [GeneratedRegex(
        @"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|<<|=|[-+]?[0-9][0-9_,:.eE+-]*|[-+]?\.[0-9].*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0[xob][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ImplicitlyTyped();
}
