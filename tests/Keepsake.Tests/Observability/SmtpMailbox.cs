using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;

namespace Keepsake.Tests.Observability;

/// <summary>
/// An SMTP server on loopback (the npm package <c>smtp-server</c>, which scripts/test.sh installs under
/// <c>$KEEPSAKE_TEST_TOOLS</c>) that accepts any sign-in and writes each message it receives, as received, to a folder.
/// </summary>
public sealed partial class SmtpMailbox : IAsyncDisposable
{
    private const string Script = """
        const fs = require('fs');
        const path = require('path');
        const { SMTPServer } = require(process.env.SMTP_SERVER_MODULE);
        const [port, folder] = process.argv.slice(2);
        let received = 0;
        const server = new SMTPServer({
          // Plain SMTP on loopback; sign-in is offered there too, as a real relay would after STARTTLS.
          disabledCommands: ['STARTTLS'],
          allowInsecureAuth: true,
          authOptional: true,
          onAuth(auth, session, done) { done(null, { user: auth.username }); },
          onData(stream, session, done) {
            const chunks = [];
            stream.on('data', chunk => chunks.push(chunk));
            stream.on('end', () => {
              const file = path.join(folder, `${String(++received).padStart(4, '0')}.eml`);
              const envelope = `X-Signed-In-As: ${session.user || '(nobody)'}\r\n`;
              fs.writeFileSync(file + '.partial', envelope + Buffer.concat(chunks).toString('utf8'));
              fs.renameSync(file + '.partial', file);
              done();
            });
          },
        });
        server.listen(Number(port), '127.0.0.1');
        """;

    private readonly TemporaryFolder _folder;
    private readonly ToolProcess _server;

    private SmtpMailbox(TemporaryFolder folder, ToolProcess server)
    {
        _folder = folder;
        _server = server;
    }

    public int Port => _server.Port;

    public string Output => _server.Output;

    private string Messages => Path.Combine(_folder.Path, "messages");

    public static async Task<SmtpMailbox> StartAsync()
    {
        var module = Path.Combine(S3Server.ToolsFolder, "node_modules", "smtp-server");
        if (!File.Exists(Path.Combine(module, "package.json")))
        {
            throw new InvalidOperationException($"smtp-server is not installed at {module}. Run scripts/test.sh once (it installs smtp-server@3.21.6 under $KEEPSAKE_TEST_TOOLS).");
        }
        var folder = new TemporaryFolder();
        var script = Path.Combine(folder.Path, "mailbox.js");
        await File.WriteAllTextAsync(script, Script);
        Directory.CreateDirectory(Path.Combine(folder.Path, "messages"));
        var port = LoopbackPorts.Unused();
        var server = await ToolProcess.StartAsync("smtp-server", port, "node",
            [script, port.ToString(CultureInfo.InvariantCulture), Path.Combine(folder.Path, "messages")],
            new Dictionary<string, string> { ["SMTP_SERVER_MODULE"] = module });
        return new SmtpMailbox(folder, server);
    }

    /// <summary>Every message received so far, oldest first.</summary>
    public IReadOnlyList<MailMessageText> Received() =>
        Directory.GetFiles(Messages, "*.eml").Order(StringComparer.Ordinal).Select(f => MailMessageText.Parse(File.ReadAllText(f))).ToList();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>A received message: its unfolded headers, and its text/plain part decoded (quoted-printable as Alertmanager sends it).</summary>
public sealed partial record MailMessageText(string Raw, IReadOnlyDictionary<string, string> Headers, string Text)
{
    public string Header(string name) => Headers.GetValueOrDefault(name, "");

    public static MailMessageText Parse(string raw)
    {
        var normalized = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        var head = FoldedLine().Replace(normalized[..split], " ");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.TryAdd(line[..colon], line[(colon + 1)..].Trim());
            }
        }
        var plain = PlainPart().Match(normalized);
        var text = plain.Success ? DecodeQuotedPrintable(plain.Groups["body"].Value) : "";
        return new MailMessageText(raw, headers, text.Trim());
    }

    private static string DecodeQuotedPrintable(string body)
    {
        var bytes = new List<byte>();
        var unwrapped = body.Replace("=\n", "", StringComparison.Ordinal);
        for (var i = 0; i < unwrapped.Length; i++)
        {
            if (unwrapped[i] == '=' && i + 2 < unwrapped.Length && Uri.IsHexDigit(unwrapped[i + 1]) && Uri.IsHexDigit(unwrapped[i + 2]))
            {
                bytes.Add(byte.Parse(unwrapped.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(unwrapped[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"\n[ \t]+")]
    private static partial Regex FoldedLine();

    /// <summary>The text/plain part of a multipart message: its part headers, a blank line, then the body up to the next boundary.</summary>
    [GeneratedRegex(@"Content-Type: text/plain[^\n]*\n(?:[^\n]+\n)*\n(?<body>.*?)\n--", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex PlainPart();
}
