using System.Net;
using System.Net.Sockets;

namespace Lethe.Silo.Hosting;

/// <summary>Ports for silos this process starts beside others on one machine.</summary>
internal static class LoopbackPorts
{
    /// <summary>A TCP port free on 127.0.0.1 just now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
