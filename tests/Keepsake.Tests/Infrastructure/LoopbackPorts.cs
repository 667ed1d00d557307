using System.Net;
using System.Net.Sockets;

namespace Keepsake.Tests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the test servers.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now: the kernel's pick for a listener that is closed at once.
    /// Free for a server to take, or closed for a test that needs an unreachable address.</summary>
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
