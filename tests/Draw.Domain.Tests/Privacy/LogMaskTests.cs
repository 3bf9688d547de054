using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Draw.Testing;

namespace Draw.Domain.Tests.Privacy;

public sealed class LogMaskTests
{
    [Fact]
    public void The_same_identifier_masks_the_same_way_and_never_shows_itself()
    {
        using var folder = new TempFolder();
        var mask = new LogMask(new DataRoot(folder.Path));
        var masked = mask.Mask("PAT-000123");

        Assert.Equal(masked, mask.Mask("PAT-000123"));
        Assert.NotEqual(masked, mask.Mask("PAT-000124"));
        Assert.DoesNotContain("000123", masked, StringComparison.Ordinal);
        Assert.Equal("(none)", mask.Mask(null));
    }

    [Fact]
    public void Another_site_key_gives_other_tokens_so_lists_of_ids_cannot_be_matched()
    {
        using var one = new TempFolder();
        using var two = new TempFolder();
        Assert.NotEqual(new LogMask(new DataRoot(one.Path)).Mask("12345"), new LogMask(new DataRoot(two.Path)).Mask("12345"));
        Assert.Equal(new LogMask(new DataRoot(one.Path)).Mask("12345"), new LogMask(new DataRoot(one.Path)).Mask("12345"));
    }
}
