namespace Lethe.Silo.Tests;

public class CommandLineErrorTests
{
    [Fact]
    public async Task A_missing_data_folder_is_one_line_naming_it_and_exit_code_one()
    {
        var missing = Path.Combine(Path.GetTempPath(), "lethe-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var result = await LetheProcess.RunAsync(["bench", "train", "--data", missing]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lethe: ", line, StringComparison.Ordinal);
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_malformed_dataset_file_is_reported_and_left_as_it_was()
    {
        var root = Path.Combine(Path.GetTempPath(), "lethe-bad-data-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, "mnist");
        Directory.CreateDirectory(folder);
        try
        {
            byte[] bad = [0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1];
            foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
                await File.WriteAllBytesAsync(Path.Combine(folder, name), bad);

            var result = await LetheProcess.RunAsync(["bench", "train", "--data", root]);

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("wrong IDX magic", line, StringComparison.Ordinal);
            Assert.Equal(bad, await File.ReadAllBytesAsync(Path.Combine(folder, "train-images-idx3-ubyte")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Invalid_option_values_are_rejected_before_any_work()
    {
        var result = await LetheProcess.RunAsync(["bench", "train", "--threads", "0"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--threads must be at least 1", result.Error + result.Output, StringComparison.Ordinal);

        var unknown = await LetheProcess.RunAsync(["bench", "nonsense"]);
        Assert.NotEqual(0, unknown.ExitCode);

        var backend = await LetheProcess.RunAsync(["bench", "train", "--backends", "blas", "gpu"]);
        Assert.NotEqual(0, backend.ExitCode);
        Assert.Contains("'gpu'", backend.Error + backend.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_the_torch_backend_where_libtorch_cannot_load_is_one_line_naming_the_runtime_script()
    {
        // Under the system's .NET host: on a glibc older than libtorch needs (Debian 12) torch fails first;
        // elsewhere it loads and the missing data folder is the error.
        var result = await LetheProcess.RunAsync(["bench", "train", "--backends", "torch", "--data", Path.Combine(Path.GetTempPath(), "lethe-no-such-folder")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lethe: ", line, StringComparison.Ordinal);
        if (Environment.OSVersion.Platform == PlatformID.Unix && GlibcIsOlderThan238())
            Assert.Contains("scripts/torch-runtime.sh", line, StringComparison.Ordinal);
    }

    private static bool GlibcIsOlderThan238()
    {
        var info = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "GNU_LIBC_VERSION") { RedirectStandardOutput = true })!;
        var version = Version.Parse(info.StandardOutput.ReadToEnd().Trim().Split(' ')[^1]);
        info.WaitForExit();
        return version < new Version(2, 38);
    }
}
