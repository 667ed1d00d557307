using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// Argo CD's application endpoint on a loopback port, answering each poll with the next Application of a
/// recorded sequence (tests/Keepsake.Deploy.Tests/Fixtures/argocd/MODE.json) and repeating the last one.
/// The fixtures say {{revision}} for the revision being deployed, resolved at each poll (a revert's commit
/// exists only once the script made it), and {{previous}} for the one before.
/// </summary>
public sealed class RecordedArgoCd : IDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly string _application;
    private readonly string[] _polls;
    private readonly Func<string> _revision;
    private readonly string _previous;
    private int _served;

    public RecordedArgoCd(string mode, string application, Func<string> revision, string previous)
    {
        _application = application;
        _revision = revision;
        _previous = previous;
        var fixture = Repository.PathOf("tests", "Keepsake.Deploy.Tests", "Fixtures", "argocd", mode + ".json");
        _polls = [.. JsonNode.Parse(File.ReadAllText(fixture))!.AsArray().Select(poll => poll!.ToJsonString())];
        Assert.NotEmpty(_polls);
        _server = new LoopbackHttpServer(AnswerAsync);
    }

    public string Url => _server.Url;

    /// <summary>How many times the application was asked for.</summary>
    public int Polls => Volatile.Read(ref _served);

    public List<string?> Authorizations { get; } = [];

    public void Dispose() => _server.Dispose();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        lock (Authorizations)
        {
            Authorizations.Add(context.Request.Headers["Authorization"]);
        }
        if (context.Request.Url?.AbsolutePath != $"/api/v1/applications/{_application}")
        {
            context.Response.StatusCode = 404;
            return;
        }
        var poll = Interlocked.Increment(ref _served);
        var body = _polls[Math.Min(poll, _polls.Length) - 1]
            .Replace("{{revision}}", _revision(), StringComparison.Ordinal)
            .Replace("{{previous}}", _previous, StringComparison.Ordinal);
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
    }
}
