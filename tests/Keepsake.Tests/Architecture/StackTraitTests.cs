using System.Reflection;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Observability;
using Keepsake.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Keepsake.Tests.Architecture;

/// <summary>
/// The scale-stack run leaves out the tests that say they start no server (<c>Servers=none</c>, <c>Category=unit</c>):
/// that must stay true, or a test of the scale stack would silently run on the embedded one only.
/// </summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class StackTraitTests
{
    private static readonly Type[] Servers =
    [
        typeof(KeepsakeApp), typeof(SharedKeepsakeApp), typeof(WebApplicationFactory<>), typeof(ServerProcess), typeof(CliRunner),
        typeof(PostgresServer), typeof(S3Server), typeof(RedisServer),
    ];

    [Fact]
    public void A_test_class_run_once_for_starting_no_server_uses_none()
    {
        var serverless = typeof(StackTraitTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.IsDefined(typeof(FactAttribute))) && StartsNoServer(t))
            .ToList();

        // This class names every server type to look for it, so the search must find them all here.
        Assert.Equal(Servers.Length, ServersUsedBy(typeof(StackTraitTests)).Count());
        var offenders = serverless.Where(t => t != typeof(StackTraitTests))
            .SelectMany(t => ServersUsedBy(t).Select(used => $"{t.Name} uses {used.Name}"))
            .ToList();

        Assert.Contains(typeof(MonitoringRulesTests), serverless);
        Assert.True(offenders.Count == 0, "Tagged as starting no server, yet:\n" + string.Join("\n", offenders));
    }

    private static IEnumerable<Type> ServersUsedBy(Type type) => WithNested(type).SelectMany(TypeReferences.Of).Where(Servers.Contains).Distinct();

    private static bool StartsNoServer(Type type) => type.GetCustomAttributesData()
        .Where(a => a.AttributeType == typeof(TraitAttribute))
        .Select(a => ((string)a.ConstructorArguments[0].Value!, (string)a.ConstructorArguments[1].Value!))
        .Any(trait => trait is (KeepsakeApp.Servers, KeepsakeApp.NoServers) or (Unit.Category, Unit.Name));

    /// <summary>The type and the types the compiler nests in it (async state machines, lambdas' closures).</summary>
    private static IEnumerable<Type> WithNested(Type type) =>
        type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested).Prepend(type);
}
