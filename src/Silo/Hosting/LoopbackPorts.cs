using System.Net;
using System.Net.Sockets;

namespace Lethe.Silo.Hosting;

/// <summary>Ports for silos (and tests' servers) started beside others on one machine.</summary>
internal static class LoopbackPorts
{
    /// <summary><paramref name="count"/> distinct TCP ports free on 127.0.0.1 just now (all held open while chosen).</summary>
    public static int[] Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var listener in listeners) listener.Start();
        var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners) listener.Stop();
        return ports;
    }
}
