using System.Text.RegularExpressions;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>Dockerfile and Dockerfile.gpu, checked statically (no Docker engine runs here), and their command run for real.</summary>
public sealed partial class DockerfileTests
{
    private const string AppUid = "1654";
    private static readonly Dockerfiles Cpu = Dockerfiles.Read("Dockerfile");
    private static readonly Dockerfiles Gpu = Dockerfiles.Read("Dockerfile.gpu");

    [Fact]
    public void The_cpu_image_builds_on_the_sdk_and_runs_on_ubuntu_24_04_aspnet_with_openblas_as_a_non_root_user()
    {
        var stages = Cpu.Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/sdk:\S+-noble AS build$", stages[0]);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:\S+-noble$", stages[1]);
        Assert.All(new[] { stages[0].Split(' ')[0], stages[1] }, image => Assert.StartsWith(TargetFramework() + ".", ImageReference.Tag(image)!, StringComparison.Ordinal));
        Assert.Contains(Cpu.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish src/Silo/Lethe.Silo.csproj -c Release", StringComparison.Ordinal));
        Assert.Contains(Cpu.Final, i => i.Keyword == "RUN" && AptInstall().IsMatch(i.Arguments) && i.Arguments.Contains("libopenblas0-pthread", StringComparison.Ordinal));
        Assert.Contains(Cpu.Final, i => i.Keyword == "COPY" && i.Arguments == "--from=build /app .");
        // Microsoft's .NET images define the user app with APP_UID=1654.
        Assert.Equal("$APP_UID", Cpu.One("USER"));
    }

    [Fact]
    public void Both_images_pin_every_base_and_agree_on_dotnet_user_ports_and_command()
    {
        foreach (var image in Cpu.Images.Concat(Gpu.Images))
        {
            Assert.True(ImageReference.IsPinned(image), $"{image} is not pinned");
            Assert.Matches(@"^\d+\.\d+\.\d+", ImageReference.Tag(image)!);
        }

        Assert.Equal(Cpu.Images.First(), Gpu.Images.First()); // the same SDK
        Assert.Contains(Cpu.Images.Last(), Gpu.Images);       // the same ASP.NET Core runtime (copied onto the CUDA base)
        Assert.Matches(@"^nvidia/cuda:\S+-ubuntu24\.04$", Gpu.Final[0].Arguments);
        Assert.Contains(Gpu.Final, i => i.Keyword == "RUN" && i.Arguments.Contains("libopenblas0-pthread", StringComparison.Ordinal) && i.Arguments.Contains($"useradd --uid {AppUid}", StringComparison.Ordinal));
        Assert.Contains(Gpu.Final, i => i.Keyword == "ENV" && i.Arguments.Contains($"APP_UID={AppUid}", StringComparison.Ordinal));
        Assert.Contains(Gpu.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("-p:TorchSharpPackage=TorchSharp-cuda-linux", StringComparison.Ordinal));

        foreach (var keyword in new[] { "USER", "EXPOSE", "WORKDIR" }) Assert.Equal(Cpu.One(keyword), Gpu.One(keyword));
        Assert.Equal(["dotnet", "lethe.dll"], Cpu.Exec("ENTRYPOINT"));
        Assert.Equal(Cpu.Exec("ENTRYPOINT"), Gpu.Exec("ENTRYPOINT"));
        Assert.Equal(["serve", "--urls", "http://0.0.0.0:8080"], Cpu.Exec("CMD"));
        Assert.Equal(Cpu.Exec("CMD"), Gpu.Exec("CMD"));
        Assert.Equal(["8080", "11111", "30000"], Cpu.One("EXPOSE").Split(' '));
    }

    [Fact]
    public async Task The_pods_run_the_images_command_as_the_images_user()
    {
        foreach (var silo in (await Kustomize.RenderAsync("overlays/gpu")).Silos())
        {
            Assert.Equal(Cpu.Exec("CMD"), silo.Container("silo")["args"].List());
            Assert.Equal(AppUid, (string?)silo.PodSpec()["securityContext"]!["runAsUser"]);
        }
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_and_data()
    {
        var ignored = File.ReadAllLines(RepositoryFolder.File(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("data/", ignored);
        Assert.Contains(".git", ignored);
    }

    [Fact]
    public async Task The_images_command_refuses_to_listen_without_api_keys()
    {
        // The container's command, as the built lethe runs it: on 0.0.0.0 it needs API keys, and says so in one line.
        var result = await LetheProcess.RunAsync(Cpu.Exec("CMD"), new Dictionary<string, string> { ["LETHE_API_KEYS"] = "" });
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lethe: --urls http://0.0.0.0:8080 is reachable from other machines: set API keys", line, StringComparison.Ordinal);
    }

    private static string TargetFramework()
    {
        var props = File.ReadAllText(RepositoryFolder.File("Directory.Build.props"));
        return Regex.Match(props, @"<TargetFramework>net(?<version>[0-9.]+)</TargetFramework>").Groups["version"].Value;
    }

    [GeneratedRegex(@"apt-get install -y --no-install-recommends")]
    private static partial Regex AptInstall();
}
