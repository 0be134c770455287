using System.Globalization;
using System.Text.RegularExpressions;

namespace Lethe.Silo.Tests;

/// <summary>The main job, run as a user runs it, judged by what it prints.</summary>
public partial class DemoTests
{
    [Fact]
    public async Task The_demo_forgets_both_users_and_shows_it()
    {
        var result = await LetheProcess.RunAsync(["demo", "--data", TestDataFolder.Path], timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.Error);
        var output = Regex.Replace(result.Output, @"\s+", " ");
        Assert.Contains("sisa forgot 24,757 records", output, StringComparison.Ordinal); // the heaviest user of seed 1
        Assert.Contains("replayed shards are byte-identical to shards retrained from scratch", output, StringComparison.Ordinal);
        Assert.Contains("fisher-scrub forgot 5,923 records", output, StringComparison.Ordinal); // every zero of MNIST's training set

        var digit = DigitZeroLine().Match(output);
        Assert.True(digit.Success, output);
        Assert.True(Percent(digit.Groups["before"]) > 95 && Percent(digit.Groups["after"]) <= 1.0, digit.Value);
        // The scrub forgets the digit, not the others: the 8-shard ensemble keeps what it knew of digits 1-9 (96.9% here) within half a point.
        Assert.True(Percent(digit.Groups["othersBefore"]) >= 96.0 && Percent(digit.Groups["othersAfter"]) >= Percent(digit.Groups["othersBefore"]) - 0.5, digit.Value);
        Assert.Contains("train shard 8/8", result.Error, StringComparison.Ordinal); // progress went to stderr
    }

    private static double Percent(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"test digit 0: (?<before>[\d.]+) % -> (?<after>[\d.]+) %, other digits: (?<othersBefore>[\d.]+) % -> (?<othersAfter>[\d.]+) %")]
    private static partial Regex DigitZeroLine();
}
