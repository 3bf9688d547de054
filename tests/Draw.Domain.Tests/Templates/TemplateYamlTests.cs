using System.Security.Cryptography;
using System.Text;
using Draw.Domain.Templates;
using YamlDotNet.RepresentationModel;

namespace Draw.Domain.Tests.Templates;

/// <summary>The autosegmentation_template.yml, byte for byte against the documented format.</summary>
public sealed class TemplateYamlTests
{
    private const string Expected =
        "name: Thorax and neck\n" +
        "protocol: DRAW\n" +
        "models:\n" +
        "  3:\n" +
        "    name: HeadNeckOAR\n" +
        "    config: 3d_fullres\n" +
        "    map:\n" +
        "      1: Brainstem\n" +
        "      2: SpinalCord\n" +
        "    trainer_name: nnUNetTrainerV2\n" +
        "    postprocess: null\n" +
        "  7:\n" +
        "    name: ThoraxOAR\n" +
        "    config: 3d_fullres\n" +
        "    map:\n" +
        "      1: Lung_L\n" +
        "      3: Heart\n" +
        "    trainer_name: nnUNetTrainerV2_noMirroring\n" +
        "    postprocess: postprocessing.json\n";

    [Fact]
    public void The_yaml_has_the_documented_format_byte_for_byte()
    {
        var bytes = TemplateYaml.WriteBytes(Sample());

        Assert.Equal(Expected, Encoding.UTF8.GetString(bytes));
        Assert.Equal(Encoding.UTF8.GetBytes(Expected), bytes);
        Assert.NotEqual(0xEF, bytes[0]);
    }

    [Fact]
    public void The_same_template_gives_the_same_bytes_and_sha512_whatever_the_order_of_its_rows()
    {
        var first = Sample();
        var second = Sample();
        second.Models.Reverse();
        second.Models.ForEach(m => m.Structures.Reverse());

        Assert.Equal(TemplateYaml.Write(first), TemplateYaml.Write(second));
        Assert.Equal(TemplateYaml.Sha512(first), TemplateYaml.Sha512(second));
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(Expected))), TemplateYaml.Sha512(first));
        Assert.Equal(128, TemplateYaml.Sha512(first).Length);
    }

    [Fact]
    public void Labels_colours_and_additional_structures_do_not_change_the_yaml_but_structures_do()
    {
        var changed = Sample();
        changed.Models[0].Structures[0].RoiLabel = "LUNG LEFT";
        changed.AdditionalStructures.Add(new AdditionalStructure { RoiLabel = "Couch", Color = "0\\0\\255", InterpretedType = "SUPPORT" });
        Assert.Equal(Expected, TemplateYaml.Write(changed));

        changed.Models[0].Structures.RemoveAt(0);
        Assert.NotEqual(TemplateYaml.Sha512(Sample()), TemplateYaml.Sha512(changed));
    }

    [Fact]
    public void Values_a_YAML_reader_would_take_for_numbers_booleans_or_null_are_quoted_and_read_back_as_text()
    {
        var template = Sample();
        template.Name = "yes";
        template.Models[0].Config = "2d";
        template.Models[0].Structures[0].Name = "123"; // Heart, map id 3 of model 7
        template.Models[1].TrainerName = "null";
        template.Models[1].Postprocess = "a: b # c";

        var yaml = TemplateYaml.Write(template);

        Assert.StartsWith("name: \"yes\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("      3: \"123\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    trainer_name: \"null\"\n", yaml, StringComparison.Ordinal);
        var root = Load(yaml);
        var model3 = (YamlMappingNode)((YamlMappingNode)root["models"])["3"];
        Assert.Equal("null", ((YamlScalarNode)model3["trainer_name"]).Value);
        Assert.Equal("a: b # c", ((YamlScalarNode)model3["postprocess"]).Value);
        Assert.Equal("123", ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)root["models"])["7"])["map"])["3"]).Value);
        Assert.Contains("    config: 2d\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_written_yaml_reads_back_with_the_same_models_and_maps()
    {
        var root = Load(TemplateYaml.Write(Sample()));

        Assert.Equal("Thorax and neck", ((YamlScalarNode)root["name"]).Value);
        Assert.Equal("DRAW", ((YamlScalarNode)root["protocol"]).Value);
        var models = (YamlMappingNode)root["models"];
        Assert.Equal(["3", "7"], models.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        var map = (YamlMappingNode)((YamlMappingNode)models["7"])["map"];
        Assert.Equal(["1", "3"], map.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    internal static Template Sample()
    {
        var template = new Template { Name = "Thorax and neck", Backend = "draw" };
        var thorax = new TemplateModel { ModelId = 7, Name = "ThoraxOAR", Config = "3d_fullres", TrainerName = "nnUNetTrainerV2_noMirroring", Postprocess = "postprocessing.json" };
        thorax.Structures.Add(new TemplateStructure { MapId = 3, Name = "Heart", RoiLabel = "Heart", Color = "255\\0\\0", InterpretedType = "ORGAN" });
        thorax.Structures.Add(new TemplateStructure { MapId = 1, Name = "Lung_L", RoiLabel = "Lung L", Color = "0\\255\\0", InterpretedType = "ORGAN" });
        var neck = new TemplateModel { ModelId = 3, Name = "HeadNeckOAR", Config = "3d_fullres", TrainerName = "nnUNetTrainerV2", Postprocess = null };
        neck.Structures.Add(new TemplateStructure { MapId = 2, Name = "SpinalCord", RoiLabel = "Cord", Color = "255\\255\\0", InterpretedType = "OAR" });
        neck.Structures.Add(new TemplateStructure { MapId = 1, Name = "Brainstem", RoiLabel = "Brainstem", Color = "255\\255\\0", InterpretedType = "OAR" });
        template.Models.Add(thorax);
        template.Models.Add(neck);
        return template;
    }
}
