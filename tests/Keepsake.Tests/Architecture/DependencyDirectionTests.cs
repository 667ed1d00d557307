using Keepsake.Data;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Architecture;

/// <summary>
/// The direction of every dependency between the parts of src/Keepsake (a part is a namespace under <c>Keepsake</c>, a
/// folder). Plumbing comes first, then the features, then the entry points; each part may use only the parts listed
/// before it. Where a lower part needs to tell a higher one something, it owns a small interface the higher one
/// implements (e.g. <c>Photos.IPhotosStoredHandler</c>, which Weather implements). docs/architecture.md draws this.
/// </summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class DependencyDirectionTests
{
    /// <summary>What every feature stands on; none of it knows a feature.</summary>
    private static readonly string[] Plumbing = ["Hosting", "Storage", "Data", "Secrets", "Outbound", "Observability"];

    /// <summary>What a user sees, lowest first.</summary>
    private static readonly string[] Features = ["Accounts", "Photos", "Map", "Albums", "Search", "Sharing", "Weather", "Uploads", "WebDav", "Privacy", "Backups", "Integrity"];

    /// <summary>
    /// The compiled EF models (generated from every feature's mapping), the composition root (the <c>Keepsake</c>
    /// namespace: the server and the services both it and the verbs share) and the verbs.
    /// </summary>
    private static readonly string[] EntryPoints = ["CompiledModels", Root, "Cli"];

    private const string Root = "Keepsake";

    private static readonly string[] Order = [.. Plumbing, .. Features, .. EntryPoints];

    private static readonly Lazy<IReadOnlyList<(string From, string To, string Example)>> Uses = new(ReadUses);

    [Fact]
    public void Every_folder_of_the_server_is_a_part_with_a_place_in_the_order()
    {
        var parts = typeof(KeepsakeDbContext).Assembly.GetTypes().Select(PartOf).OfType<string>().Distinct().Order(StringComparer.Ordinal);

        Assert.All(parts, part => Assert.True(Order.Contains(part),
            $"Keepsake.{part} has no place in the order of {nameof(DependencyDirectionTests)}: add it to the plumbing, the features or the entry points."));
    }

    [Fact]
    public void Plumbing_never_uses_a_feature_or_an_entry_point()
    {
        var wrong = Uses.Value.Where(u => Plumbing.Contains(u.From) && !Plumbing.Contains(u.To)).Select(Describe).ToList();

        Assert.True(wrong.Count == 0, "Plumbing must not know the features; move the code into the feature or let the feature plug in:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void No_two_parts_use_each_other()
    {
        var pairs = Uses.Value.Select(u => (u.From, u.To)).ToHashSet();
        var mutual = pairs.Where(p => string.CompareOrdinal(p.From, p.To) < 0 && pairs.Contains((p.To, p.From)))
            .Select(p => $"{p.From} <-> {p.To}: {Example(p.From, p.To)}; {Example(p.To, p.From)}")
            .ToList();

        Assert.True(mutual.Count == 0, "Parts that use each other (one of them must own an interface the other implements):\n" + string.Join("\n", mutual));
    }

    [Fact]
    public void Each_part_uses_only_the_parts_before_it_in_the_order()
    {
        var upward = Uses.Value.Where(u => Array.IndexOf(Order, u.To) > Array.IndexOf(Order, u.From)).Select(Describe).ToList();

        Assert.True(upward.Count == 0, $"Uses against the order {string.Join(" < ", Order)}:\n" + string.Join("\n", upward));
    }

    private static string Describe((string From, string To, string Example) use) => $"{use.From} -> {use.To}: {use.Example}";

    private static string Example(string from, string to) => Uses.Value.First(u => u.From == from && u.To == to).Example;

    /// <summary>Each pair of parts where one uses the other, with the first type that does it as the example.</summary>
    private static IReadOnlyList<(string From, string To, string Example)> ReadUses()
    {
        var uses = new Dictionary<(string, string), string>();
        foreach (var type in typeof(KeepsakeDbContext).Assembly.GetTypes())
        {
            if (PartOf(type) is not { } from)
            {
                continue;
            }
            foreach (var used in TypeReferences.Of(type))
            {
                if (PartOf(used) is { } to && to != from)
                {
                    uses.TryAdd((from, to), $"{Name(type)} uses {Name(used)}");
                }
            }
        }
        return [.. uses.Select(u => (u.Key.Item1, u.Key.Item2, u.Value))];
    }

    /// <summary>The part a type of the server belongs to: the namespace segment after <c>Keepsake</c>, or the root.</summary>
    private static string? PartOf(Type type)
    {
        if (type.Assembly != typeof(KeepsakeDbContext).Assembly || type.Namespace is not { } name)
        {
            return null;
        }
        if (name == Root)
        {
            return Root;
        }
        return name.StartsWith(Root + ".", StringComparison.Ordinal) ? name.Split('.')[1] : null;
    }

    private static string Name(Type type) => (type.DeclaringType is { } outer ? Name(outer) : type.Namespace) + "." + type.Name;
}
