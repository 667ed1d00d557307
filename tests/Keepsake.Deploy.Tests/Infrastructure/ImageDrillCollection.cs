namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// The test classes that use the drill image share one <see cref="ImageDrill"/>: it is built once, and no class removes
/// it (its disposal does) while another still runs a container from it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ImageDrillCollection : ICollectionFixture<ImageDrill>
{
    public const string Name = "image drill";
}
