using System.Text;

namespace Keepsake.Ks.Hosts;

/// <summary>
/// The hosts file's one block for a stage, between marker lines: added once (a second run changes nothing), and
/// removed exactly, so the file is then byte for byte what it was. A file without a final newline gets one before the
/// block, and the begin marker says so, so that removing the block takes that newline away again.
/// </summary>
internal static class HostsFile
{
    private const string Closing = " >>>";
    private const string NoFinalNewline = " (ks added the newline before this line)";

    public static string Begin(string stage) => $"# >>> ks hosts: {stage}";

    public static string End(string stage) => $"# <<< ks hosts: {stage} <<<";

    /// <summary>The text with the stage's block holding <paramref name="hosts"/> on loopback (IPv4 and IPv6); unchanged when it already does.</summary>
    public static string Add(string text, string stage, IReadOnlyList<string> hosts)
    {
        var (before, existing, after) = Split(text, stage);
        if (existing is not null)
        {
            var refreshed = Block(stage, hosts, existing.Contains(NoFinalNewline, StringComparison.Ordinal));
            return before + refreshed + after;
        }
        var addsNewline = text.Length > 0 && !text.EndsWith('\n');
        return text + (addsNewline ? "\n" : "") + Block(stage, hosts, addsNewline);
    }

    /// <summary>The text without the stage's block (and without the newline ks added before it).</summary>
    public static string Remove(string text, string stage)
    {
        var (before, existing, after) = Split(text, stage);
        if (existing is null)
        {
            return text;
        }
        if (existing.Contains(NoFinalNewline, StringComparison.Ordinal) && before.EndsWith('\n'))
        {
            before = before[..^1];
        }
        return before + after;
    }

    private static string Block(string stage, IReadOnlyList<string> hosts, bool addedNewline)
    {
        var block = new StringBuilder();
        block.Append(Begin(stage)).Append(addedNewline ? NoFinalNewline : "").Append(Closing).Append(" managed by 'ks hosts'; 'ks hosts --remove' takes it out\n");
        foreach (var host in hosts)
        {
            block.Append($"127.0.0.1 {host}\n::1 {host}\n");
        }
        return block.Append(End(stage)).Append('\n').ToString();
    }

    /// <summary>The text before the block, the block (null when there is none) and the text after it.</summary>
    private static (string Before, string? Block, string After) Split(string text, string stage)
    {
        var begin = FindLine(text, Begin(stage), 0);
        if (begin < 0)
        {
            return (text, null, "");
        }
        var end = FindLine(text, End(stage), begin);
        if (end < 0)
        {
            throw new KsException($"the hosts file has the line '{Begin(stage)}…' but not '{End(stage)}': mend the block by hand, then run ks hosts again");
        }
        var endOfBlock = text.IndexOf('\n', end) is var newline and >= 0 ? newline + 1 : text.Length;
        return (text[..begin], text[begin..endOfBlock], text[endOfBlock..]);
    }

    /// <summary>Where a line starting with <paramref name="start"/> begins, at or after <paramref name="from"/>; -1 if none does.</summary>
    private static int FindLine(string text, string start, int from)
    {
        for (var index = text.IndexOf(start, from, StringComparison.Ordinal); index >= 0; index = text.IndexOf(start, index + 1, StringComparison.Ordinal))
        {
            if (index == 0 || text[index - 1] == '\n')
            {
                return index;
            }
        }
        return -1;
    }
}
