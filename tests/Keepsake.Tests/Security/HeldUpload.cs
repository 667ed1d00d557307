using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Keepsake.Tests.Security;

/// <summary>
/// A multipart upload sent as a stream without a length (chunked, as a client that streams does): the parts before
/// <see cref="Release"/> go out at once, the rest only when the test releases them. A server that answers while the
/// body is held has decided without reading the rest. <see cref="Sent"/> completes when the held point is reached.
/// </summary>
public sealed class HeldUpload : HttpContent
{
    private const string Boundary = "held-upload-boundary";
    private readonly IReadOnlyList<(string Name, byte[] Content)> _before;
    private readonly IReadOnlyList<(string Name, byte[] Content)> _after;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="before">Parts sent at once.</param>
    /// <param name="after">Parts held back until released.</param>
    /// <param name="splitLastBefore">Bytes of the last part in <paramref name="before"/> to send; the rest of it is held too.</param>
    public HeldUpload(IReadOnlyList<(string Name, byte[] Content)> before, IReadOnlyList<(string Name, byte[] Content)> after, int? splitLastBefore = null)
    {
        _before = before;
        _after = after;
        SplitLastBefore = splitLastBefore;
        Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    private int? SplitLastBefore { get; }

    public Task Sent => _sent.Task;

    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var held = new List<byte[]>();
        for (var i = 0; i < _before.Count; i++)
        {
            var (name, content) = _before[i];
            await stream.WriteAsync(PartHead(name));
            if (i == _before.Count - 1 && SplitLastBefore is { } split)
            {
                await stream.WriteAsync(content.AsMemory(0, split));
                held.Add(content[split..]);
                held.Add("\r\n"u8.ToArray());
            }
            else
            {
                await stream.WriteAsync(content);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
        }
        await stream.FlushAsync();
        _sent.TrySetResult();
        await _release.Task;
        foreach (var bytes in held)
        {
            await stream.WriteAsync(bytes);
        }
        foreach (var (name, content) in _after)
        {
            await stream.WriteAsync(PartHead(name));
            await stream.WriteAsync(content);
            await stream.WriteAsync("\r\n"u8.ToArray());
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        Release();
        base.Dispose(disposing);
    }

    private static byte[] PartHead(string name) => Encoding.UTF8.GetBytes(
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
}
