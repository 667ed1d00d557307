using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary><c>Photos:DecodeParallelism</c>: how many photos are decoded at once, chosen from the cores and the memory unless set.</summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class DecodeParallelismTests
{
    private const long GiB = 1L << 30;

    [Theory]
    // One per core when memory is plentiful.
    [InlineData(16, 2, 2)]
    [InlineData(16, 8, 8)]
    // A quarter of the memory holds two decodes at the 512 MB limit: two, whatever the cores.
    [InlineData(4, 8, 2)]
    // A small container: never fewer than one.
    [InlineData(1, 8, 1)]
    public void By_default_it_is_one_per_core_within_a_quarter_of_the_memory(long memoryGiB, int cores, int expected)
    {
        var options = new PhotosOptions { MaxDecodeBytes = 512L * 1000 * 1000 };

        Assert.Equal(expected, options.EffectiveDecodeParallelism(memoryGiB * GiB, cores));
    }

    [Fact]
    public void A_value_set_is_used_as_it_is()
    {
        var options = new PhotosOptions { DecodeParallelism = 3 };

        Assert.Equal(3, options.EffectiveDecodeParallelism(1 * GiB, 2));
    }
}
