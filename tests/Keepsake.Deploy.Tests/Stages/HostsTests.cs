namespace Keepsake.Deploy.Tests.Stages;

/// <summary><c>ks hosts --file F</c>: one marked block, added once, removed exactly.</summary>
public sealed class HostsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ks-hosts-");

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string> Files => new()
    {
        "127.0.0.1 localhost\n::1 localhost ip6-localhost\n",
        "127.0.0.1 localhost\n# no newline at the end",
        "\uFEFF127.0.0.1 localhost\r\n10.0.0.7 nas.home.arpa   # CRLF and a byte order mark\r\n",
        "",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Ks_hosts_twice_changes_nothing_the_second_time(string original)
    {
        var file = await WriteAsync(original);

        var first = await Ks.RunAsync(["hosts", "local", "--file", file]);
        var once = await File.ReadAllBytesAsync(file);
        var second = await Ks.RunAsync(["hosts", "local", "--file", file]);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(once, await File.ReadAllBytesAsync(file));
        Assert.Contains("nothing changed", second.Error, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("\n127.0.0.1 keepsake.localhost\n::1 keepsake.localhost\n# <<< ks hosts: local <<<\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith("# >>> ks hosts: local", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Ks_hosts_remove_restores_the_file_byte_for_byte(string original)
    {
        var file = await WriteAsync(original);
        var before = await File.ReadAllBytesAsync(file);

        await Ks.RunAsync(["hosts", "local", "--file", file]);
        Assert.NotEqual(before, await File.ReadAllBytesAsync(file));
        var removed = await Ks.RunAsync(["hosts", "local", "--file", file, "--remove"]);

        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(before, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Ks_hosts_leaves_lines_written_after_its_block_and_other_stages_blocks_in_place()
    {
        var file = await WriteAsync("127.0.0.1 localhost\n");
        await Ks.RunAsync(["hosts", "test", "--file", file]);
        await Ks.RunAsync(["hosts", "local", "--file", file]);
        await File.AppendAllTextAsync(file, "192.0.2.1 printer\n");
        var withBoth = await File.ReadAllTextAsync(file);

        await Ks.RunAsync(["hosts", "local", "--file", file, "--remove"]);

        var left = await File.ReadAllTextAsync(file);
        var localBlock = withBoth[withBoth.IndexOf("# >>> ks hosts: local", StringComparison.Ordinal)..(withBoth.IndexOf("# <<< ks hosts: local <<<\n", StringComparison.Ordinal) + "# <<< ks hosts: local <<<\n".Length)];
        Assert.Equal(withBoth.Replace(localBlock, "", StringComparison.Ordinal), left);
        Assert.Contains("# <<< ks hosts: test <<<\n192.0.2.1 printer\n", left, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public async Task Ks_hosts_refuses_a_stage_whose_names_are_in_public_dns_and_leaves_the_file_alone(string stage)
    {
        var file = await WriteAsync("127.0.0.1 localhost\n");

        var refused = await Ks.RunAsync(["hosts", stage, "--file", file]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("are in public DNS", refused.Error, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1 localhost\n", await File.ReadAllTextAsync(file));
    }

    private async Task<string> WriteAsync(string text)
    {
        var file = Path.Combine(_folder.FullName, "hosts");
        await File.WriteAllBytesAsync(file, System.Text.Encoding.UTF8.GetBytes(text));
        return file;
    }
}
