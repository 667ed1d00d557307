using Keepsake.Photos;

namespace Keepsake.Tests.Photos;

/// <summary>A JPEG is shrunk while decoded as far as the preview allows, never below it.</summary>
public sealed class JpegShrinkTests
{
    [Theory]
    [InlineData(1000, 1440, 1)]
    [InlineData(2879, 1440, 1)]
    [InlineData(2880, 1440, 2)]
    [InlineData(4608, 1440, 2)]
    [InlineData(5760, 1440, 4)]
    [InlineData(11520, 1440, 8)]
    [InlineData(40000, 1440, 8)]
    public void The_decoder_shrinks_by_the_largest_power_of_two_that_keeps_the_long_side_at_least_the_preview_size(int longSide, int previewSize, int shrink)
    {
        Assert.Equal(shrink, ImageProcessor.JpegShrinkFor(longSide, previewSize));
        Assert.True(longSide / shrink >= Math.Min(longSide, previewSize));
    }
}
