namespace Keepsake.Deploy.Tests.Stages;

/// <summary>
/// Stand-ins for command-line tools in a folder of their own, to put on a PATH: each records its arguments and standard
/// input and succeeds, unless a call's arguments end as <see cref="Fail"/> said.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RecordingTools : IDisposable
{
    private readonly string _log;

    public RecordingTools(params string[] programs)
    {
        Path = Directory.CreateTempSubdirectory("ks-tools-").FullName;
        _log = System.IO.Path.Combine(Path, "calls.log");
        foreach (var program in programs)
        {
            var script = System.IO.Path.Combine(Path, program);
            File.WriteAllText(script, $$"""
                #!/bin/sh
                PATH=/usr/bin:/bin
                input=""
                [ -t 0 ] || input=$(cat | base64 -w0)
                printf '%s\t%s\t%s\n' "{{program}}" "$*" "$input" >> "{{_log}}"
                while IFS="$(printf '\t')" read -r who ending code; do
                  [ "$who" = "{{program}}" ] && case "$*" in *"$ending") exit "$code" ;; esac
                done < "{{Path}}/exits"
                exit 0
                """);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(System.IO.Path.Combine(Path, "exits"), "");
    }

    public string Path { get; }

    /// <summary>The calls in order: program, arguments, standard input.</summary>
    public IReadOnlyList<RecordedCall> Calls => File.Exists(_log)
        ? [.. File.ReadAllLines(_log).Select(line => line.Split('\t')).Select(f => new RecordedCall(f[0], f[1], System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(f[2]))))]
        : [];

    public void Fail(string program, string ending) => File.AppendAllText(System.IO.Path.Combine(Path, "exits"), $"{program}\t{ending}\t1\n");


    public void Dispose() => Directory.Delete(Path, recursive: true);
}

public sealed record RecordedCall(string Program, string Arguments, string Input)
{
    public string Command => $"{Program} {Arguments}";
}
