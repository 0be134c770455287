using System.CommandLine;
using Lethe.Learning.Unlearning;
using Lethe.Learning.Verification;
using Lethe.Silo.Experiments;
using Lethe.Silo.GoldCheck;

namespace Lethe.Silo.Commands;

/// <summary><c>verify-gold</c>: delete users from a model trained in-process, then compare it with a model trained from scratch without them.</summary>
internal static class VerifyGoldCommand
{
    /// <summary>Exit status when the check ran and a figure was out of tolerance.</summary>
    public const int OutOfTolerance = 2;

    /// <summary>The methods that can serve the deletions: those on one model, and certified removal on a certified model.</summary>
    private static readonly string[] Methods = [.. UnlearningMethods.Names, UnlearningMethods.Certified];

    public static Command Create()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var method = new Option<string>("--method")
        {
            Description = $"Method that serves the deletions: {string.Join(", ", Methods)}",
            DefaultValueFactory = _ => "influence",
        };
        method.AcceptOnlyFromAmong(Methods);
        var users = new Option<int>("--users")
        {
            Description = "Users deleted one after another, drawn by record count from 100 Zipf(1.5) owners",
            DefaultValueFactory = _ => 3,
            Validators = { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--users must be at least 1."); } },
        };
        var records = new Option<int>("--records")
        {
            Description = "Training records: the first N of MNIST's training set",
            DefaultValueFactory = _ => 60_000,
            Validators = { r => { if (r.GetValueOrDefault<int>() < 1000) r.AddError("--records must be at least 1000."); } },
        };
        var defaults = new GoldStandardTolerances();
        var accuracy = Tolerance("--max-accuracy-gap", "Largest test-accuracy gap", defaults.TestAccuracy);
        var loss = Tolerance("--max-loss-gap", "Largest mean test-loss gap", defaults.TestLoss);
        var perClass = Tolerance("--max-class-gap", "Largest gap in any class's test accuracy", defaults.PerClassAccuracy);
        var mia = Tolerance("--max-mia-gap", "Largest membership-inference AUC gap on the deleted records", defaults.MiaAuc);
        var kl = Tolerance("--max-kl", "Largest mean KL(gold || served) over the test set", defaults.MeanKl);
        var command = new Command(
            "verify-gold",
            "Train on MNIST, delete users with a method, then check the served model against one trained from scratch without them " +
            $"(exit {OutOfTolerance} when a figure is out of tolerance)")
        {
            data, threads, json, seed, method, users, records, accuracy, loss, perClass, mia, kl,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            CommonOptions.PrepareCompute(parse.GetValue(threads));
            var tolerances = new GoldStandardTolerances
            {
                TestAccuracy = parse.GetValue(accuracy), TestLoss = parse.GetValue(loss), PerClassAccuracy = parse.GetValue(perClass),
                MiaAuc = parse.GetValue(mia), MeanKl = parse.GetValue(kl),
            };
            var settings = new GoldCheckSettings(parse.GetValue(method)!, parse.GetValue(users), parse.GetValue(records), parse.GetValue(seed), tolerances);
            var mnist = MnistData.Load(parse.GetValue(data));
            var output = GoldCheckRun.Run(mnist, settings, line => Console.Error.WriteLine(line), cancellationToken);
            if (parse.GetValue(json)) await Console.Out.WriteLineAsync(JsonOutput.Serialize(output));
            else GoldCheckTable.Print(output);
            return output.Passed ? 0 : OutOfTolerance;
        }));
        return command;
    }

    private static Option<double> Tolerance(string name, string description, double value) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => value,
        Validators = { r => { if (!(r.GetValueOrDefault<double>() >= 0)) r.AddError($"{name} must be a number of at least 0."); } },
    };
}
