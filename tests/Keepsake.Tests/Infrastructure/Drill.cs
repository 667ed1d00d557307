namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// The trait of the slow drills: faults injected into server and verb processes, races of hundreds of rounds, outages,
/// replicas behind a load balancer. scripts/test.sh runs them in a job of their own (<c>Category=drill</c>), beside the
/// other tests, on both stacks; the other jobs filter <c>Category!=drill</c>.
/// </summary>
public static class Drill
{
    public const string Category = "Category";

    public const string Name = "drill";
}
