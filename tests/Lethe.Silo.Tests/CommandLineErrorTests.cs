namespace Lethe.Silo.Tests;

/// <summary>Every mistake a user can make on the command line: one <c>lethe:</c> line on stderr, exit code 1, nothing on stdout, nothing left behind.</summary>
public class CommandLineErrorTests
{
    public static TheoryData<string[], string> MalformedOptions => new()
    {
        { ["bench", "train", "--threads", "abc"], "--threads takes an integer from 1 to 1024, not 'abc'" },
        { ["bench", "train", "--threads", "0"], "--threads takes an integer from 1 to 1024, not '0'" },
        { ["bench", "train", "--threads", "99999"], "--threads takes an integer from 1 to 1024, not '99999'" },
        { ["demo", "--threads", "-3"], "--threads takes an integer from 1 to 1024, not '-3'" },
        { ["bench", "train", "--batch-sizes", "64", "x"], "--batch-sizes takes an integer from 1 to 60000, not 'x'" },
        { ["bench", "train", "--batch-sizes", "0"], "--batch-sizes takes an integer from 1 to 60000, not '0'" },
        { ["bench", "paper", "--seed", "twelve"], "--seed takes an integer, not 'twelve'" },
        { ["bench", "train", "--optimisers", "adamw"], "adamw" },
        { ["bench", "nonsense"], "Unrecognized command or argument 'nonsense'" },
        { ["bench"], "Required command was not provided" },
        { ["demo", "--no-such-option"], "Unrecognized command or argument '--no-such-option'" },
        { ["serve", "--urls", "nope"], "--urls: 'nope' is not an http:// or https:// URL" },
        { ["db", "migrate"], "--connection" },
        { ["bench", "train", "--backends", "blas", "gpu"], "'gpu'" },
    };

    [Theory, MemberData(nameof(MalformedOptions))]
    public async Task A_malformed_command_line_is_one_lethe_line_and_exit_code_one(string[] arguments, string expected)
    {
        var result = await LetheProcess.RunAsync(arguments);

        var line = AssertOneErrorLine(result);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains("--help", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_data_folder_is_one_line_naming_it_and_exit_code_one()
    {
        var missing = Path.Combine(Path.GetTempPath(), "lethe-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var result = await LetheProcess.RunAsync(["bench", "train", "--data", missing]);

        Assert.Contains(missing, AssertOneErrorLine(result), StringComparison.Ordinal);
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

            Assert.Contains("wrong IDX magic", AssertOneErrorLine(result), StringComparison.Ordinal);
            Assert.Equal(bad, await File.ReadAllBytesAsync(Path.Combine(folder, "train-images-idx3-ubyte")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("bench", "train")]
    [InlineData("bench", "paper")]
    [InlineData("demo")]
    public async Task A_dataset_without_images_is_one_line_not_a_stack_trace(params string[] command)
    {
        var root = Directory.CreateTempSubdirectory("lethe-empty-data-").FullName;
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, "mnist")).FullName;
            foreach (var split in new[] { "train", "t10k" })
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, $"{split}-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]);
                await File.WriteAllBytesAsync(Path.Combine(folder, $"{split}-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 0]);
            }

            string[] arguments = command is ["bench", "paper"] ? [.. command, "--data", root, "--out", Path.Combine(root, "out")] : [.. command, "--data", root];
            var result = await LetheProcess.RunAsync(arguments);

            Assert.Contains("holds no images", AssertOneErrorLine(result), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task An_unwritable_out_folder_is_refused_before_any_work()
    {
        var root = Directory.CreateTempSubdirectory("lethe-out-").FullName;
        try
        {
            var file = Path.Combine(root, "a-file");
            await File.WriteAllTextAsync(file, "not a folder");
            var missingData = Path.Combine(root, "no-data-here");
            foreach (var output in new[] { file, Path.Combine(file, "below-a-file"), "/proc/lethe-cannot-write-here" })
            {
                // The data folder is missing too: the --out check comes first, before anything is loaded.
                var result = await LetheProcess.RunAsync(["bench", "paper", "--out", output, "--data", missingData]);

                var line = AssertOneErrorLine(result);
                Assert.StartsWith($"lethe: --out {output}: not a folder lethe can write to", line, StringComparison.Ordinal);
            }

            Assert.Equal("not a folder", await File.ReadAllTextAsync(file));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:18931")]
    [InlineData("http://*:18931")]
    [InlineData("http://127.0.0.1:18931;http://192.0.2.10:18931")]
    public async Task Serve_refuses_an_address_other_machines_reach_without_api_keys(string urls)
    {
        var folder = Directory.CreateTempSubdirectory("lethe-serve-").FullName;
        try
        {
            var store = Path.Combine(folder, "store", "lethe.db");
            var result = await LetheProcess.RunAsync(["serve", "--urls", urls, "--store", store], new Dictionary<string, string> { ["LETHE_API_KEYS"] = "" });

            var line = AssertOneErrorLine(result);
            Assert.Contains("reachable from other machines: set API keys", line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.GetDirectoryName(store)), "serve created its store before refusing");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Asking_for_the_torch_backend_where_libtorch_cannot_load_is_one_line_naming_the_runtime_script()
    {
        // Under the system's .NET host: on a glibc older than libtorch needs (Debian 12) torch fails first;
        // elsewhere it loads and the missing data folder is the error.
        var result = await LetheProcess.RunAsync(["bench", "train", "--backends", "torch", "--data", Path.Combine(Path.GetTempPath(), "lethe-no-such-folder")]);

        var line = AssertOneErrorLine(result);
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

    [Theory]
    [InlineData("postgres", "Lethe:Store:ConnectionString is required when Lethe:Store:Provider is postgres.")]
    [InlineData("oracle", "Lethe:Store:Provider must be sqlite or postgres.")]
    public async Task A_store_that_cannot_work_is_one_line_naming_the_setting(string provider, string expected)
    {
        var result = await LetheProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], new Dictionary<string, string> { ["Lethe__Store__Provider"] = provider });

        Assert.Contains(expected, AssertOneErrorLine(result), StringComparison.Ordinal);
    }

    private static string AssertOneErrorLine(LetheProcess.Result result)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}; stderr: {result.Error}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lethe: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
        return line;
    }
}
