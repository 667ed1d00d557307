using System.Net;
using System.Net.Sockets;

namespace Keepsake.Tests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the test servers.</summary>
public static class LoopbackPorts
{
    // Below Linux's ephemeral range (32768–60999 by default), from which the kernel takes the local port of every
    // outgoing connection: a port picked there and handed to a server process can be taken by some client's socket
    // before the server binds it, which the parallel suites made happen.
    private const int First = 20000;
    private const int Last = 32000;

    /// <summary>A port nothing listens on right now, outside the ephemeral range: free for a server to take, or closed
    /// for a test that needs an unreachable address.</summary>
    public static int Unused()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
                // Taken; another one.
            }
        }
    }
}
