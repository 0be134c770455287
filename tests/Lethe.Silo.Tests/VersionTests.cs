namespace Lethe.Silo.Tests;

public class VersionTests
{
    [Fact]
    public async Task Version_names_the_OpenBLAS_kernel_in_use()
    {
        var result = await LetheProcess.RunAsync(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^lethe \S+\nblas \S+: kernel \w+ \(", result.Output);
    }

    [Fact]
    public async Task A_users_OPENBLAS_CORETYPE_wins_and_is_reported_as_theirs()
    {
        var result = await LetheProcess.RunAsync(["--version"], new Dictionary<string, string> { ["OPENBLAS_CORETYPE"] = "Prescott" });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("kernel Prescott (OPENBLAS_CORETYPE;", result.Output, StringComparison.Ordinal);
    }
}
