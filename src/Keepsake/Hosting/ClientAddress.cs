using System.Net;
using System.Net.Sockets;

namespace Keepsake.Hosting;

/// <summary>
/// The client a throttle counts: an IPv4 address, or the /64 an IPv6 address belongs to (one subscriber gets a
/// whole /64, so counting single IPv6 addresses would give a guesser 2^64 fresh starts).
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "local";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
