using System.Net;
using Lethe.Silo.Tests.Storage;

namespace Lethe.Silo.Tests.Api;

/// <summary>The default silo (the one <c>serve</c> and <c>demo</c> run) trains on OpenBLAS and never loads libtorch.</summary>
[Collection(StoreSilos.Name)]
public sealed class DefaultBackendTests : IDisposable
{
    private readonly StoreFolder folder = new("lethe-default-backend-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_silo_that_trained_a_model_has_openblas_mapped_and_no_libtorch()
    {
        await using var server = await LetheServer.StartAsync(folder.File("lethe.db"));
        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostJsonAsync("/v1/models", ApiCalls.ExplicitModel("blas", 4, recordsPerUser: 30))).Status);
        await server.Http.WaitForModelReadyAsync("blas");

        var mapped = (await File.ReadAllLinesAsync($"/proc/{server.ProcessId}/maps")).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(5) ?? "").ToHashSet();
        Assert.Contains(mapped, path => Path.GetFileName(path).StartsWith("libopenblas", StringComparison.Ordinal));
        string[] libtorch = ["libtorch", "libc10", "libLibTorchSharp"];
        Assert.DoesNotContain(mapped, path => libtorch.Any(name => Path.GetFileName(path).StartsWith(name, StringComparison.Ordinal)));
    }
}
