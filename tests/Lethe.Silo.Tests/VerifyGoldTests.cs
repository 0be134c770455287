using System.Text.Json;

namespace Lethe.Silo.Tests;

/// <summary><c>lethe verify-gold</c> run as a user runs it, on a small slice of MNIST.</summary>
public class VerifyGoldTests
{
    private static readonly string[] Measures = ["test_accuracy", "test_loss", "per_class_accuracy", "mia_auc", "mean_kl"];

    [Fact]
    public async Task The_check_reports_every_figure_and_its_exit_status_says_whether_all_passed()
    {
        string[] common = ["verify-gold", "--data", TestDataFolder.Path, "--records", "3000", "--users", "2", "--method", "neggrad-ft", "--json"];
        var result = await LetheProcess.RunAsync(common, timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode is 0 or 2, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(root.GetProperty("passed").GetBoolean() ? 0 : 2, result.ExitCode);
        Assert.Equal(3000, root.GetProperty("retained").GetInt32() + root.GetProperty("deleted").GetInt32());
        Assert.Equal(2, root.GetProperty("deletions").GetArrayLength());
        var figures = root.GetProperty("figures").EnumerateArray().ToArray();
        Assert.Equal(Measures, figures.Select(f => f.GetProperty("measure").GetString()));
        Assert.All(figures, f => Assert.Equal(
            f.GetProperty("gap").ValueKind == JsonValueKind.Number && f.GetProperty("gap").GetDouble() <= f.GetProperty("tolerance").GetDouble(),
            f.GetProperty("passed").GetBoolean()));
        Assert.Contains("gold standard: trained from scratch", result.Error, StringComparison.Ordinal);

        // The same run with every tolerance at zero cannot pass: an approximate deletion leaves some gap.
        var strict = await LetheProcess.RunAsync(
            [.. common, "--max-accuracy-gap", "0", "--max-loss-gap", "0", "--max-class-gap", "0", "--max-mia-gap", "0", "--max-kl", "0"], timeout: TimeSpan.FromMinutes(3));
        Assert.Equal(2, strict.ExitCode);
        Assert.False(JsonDocument.Parse(strict.Output).RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task User_errors_are_one_line_and_exit_code_one()
    {
        var tooMany = await LetheProcess.RunAsync(["verify-gold", "--data", TestDataFolder.Path, "--records", "70000"]);
        Assert.Equal(1, tooMany.ExitCode);
        var line = Assert.Single(tooMany.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("lethe: --records 70,000 is more than the 60,000 training records.", line);

        var unknown = await LetheProcess.RunAsync(["verify-gold", "--method", "nonsense"]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("nonsense", unknown.Error + unknown.Output, StringComparison.Ordinal);

        var negative = await LetheProcess.RunAsync(["verify-gold", "--max-kl", "-1"]);
        Assert.Equal(1, negative.ExitCode);
        Assert.Contains("--max-kl must be a number of at least 0", negative.Error + negative.Output, StringComparison.Ordinal);
    }
}
