using System.ComponentModel.DataAnnotations;
using System.Net;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;
using Keepsake.Hosting;

namespace Keepsake.Deploy.Tests;

/// <summary>Behind the cluster's proxy (Traefik, an nginx Ingress) the server must know it, and only it, as a proxy.</summary>
public sealed class ReverseProxyManifestTests
{
    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task Every_overlay_trusts_forwarded_headers_from_its_private_pod_network_only(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var settings = Assert.Single(rendered.All<V1ConfigMap>(), c => c.Metadata.Name.StartsWith("keepsake-settings", StringComparison.Ordinal)).Data;

        var network = new NetworkOptions { KnownNetworks = settings["KEEPSAKE_Network__KnownNetworks"] };

        Assert.True(Validator.TryValidateObject(network, new ValidationContext(network), null, validateAllProperties: true));
        Assert.NotEmpty(network.Networks);
        IPNetwork[] privateRanges = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("fc00::/7")];
        Assert.All(network.Networks, n => Assert.Contains(privateRanges, p => p.Contains(n.BaseAddress) && n.PrefixLength >= p.PrefixLength));
    }
}
