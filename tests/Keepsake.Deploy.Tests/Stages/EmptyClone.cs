namespace Keepsake.Deploy.Tests.Stages;

/// <summary>A temporary folder ks takes for a Keepsake clone (it holds a Keepsake.slnx), so its <c>.deps/</c> is the test's own.</summary>
public sealed class EmptyClone : IDisposable
{
    public EmptyClone()
    {
        Path = Directory.CreateTempSubdirectory("ks-clone-").FullName;
        File.WriteAllText(System.IO.Path.Combine(Path, "Keepsake.slnx"), "<Solution />\n");
    }

    public string Path { get; }

    public string Deps => System.IO.Path.Combine(Path, ".deps");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
