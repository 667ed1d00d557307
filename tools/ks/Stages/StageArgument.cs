using System.CommandLine;

namespace Keepsake.Ks.Stages;

/// <summary>The optional STAGE of every command; without it, the stage of the <c>ks shell</c> it runs in.</summary>
internal static class StageArgument
{
    /// <summary>Set by <c>ks shell</c>, read by every later ks command.</summary>
    public const string Variable = "KEEPSAKE_STAGE";

    public static Argument<string?> Create() => new("stage")
    {
        Description = $"{string.Join(", ", Stages.All.Select(s => $"{s.Name} {s.Emoji}"))}; default: ${Variable}, set by 'ks shell'.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The stage named, else the one of the shell; a missing or unknown one stops the command with what to type.</summary>
    public static Stage Resolve(ParseResult parse, Argument<string?> argument, KsContext context)
    {
        var name = parse.GetValue(argument) ?? context.Variable(Variable)
            ?? throw new KsException($"name a stage ({string.Join(", ", Stages.Names)}) or run ks inside 'ks shell STAGE'");
        return Stages.Find(name)
            ?? throw new KsException($"there is no stage '{name}': the stages are {string.Join(", ", Stages.Names)}");
    }
}
