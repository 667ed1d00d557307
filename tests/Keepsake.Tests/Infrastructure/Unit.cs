namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// The trait of the fast tests that need no outside service, no server process and no test data: the image's test
/// stage (deploy/Containerfile) runs them (<c>Category=unit</c>) inside the build, so a red one stops the image.
/// </summary>
public static class Unit
{
    public const string Category = "Category";

    public const string Name = "unit";
}
