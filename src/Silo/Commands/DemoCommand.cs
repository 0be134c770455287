using System.CommandLine;
using Lethe.Silo.Demo;
using Lethe.Silo.Experiments;
using Lethe.Silo.Hosting;
using Lethe.Silo.Reporting;

namespace Lethe.Silo.Commands;

/// <summary><c>demo</c>: the main job on the embedded default.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var seed = CommonOptions.Seed();
        var command = new Command("demo", "Through an embedded silo: MNIST owned by 100 Zipf users; forget the heaviest user exactly (8-shard SISA) and the owner of every digit 0 approximately (fisher-scrub); print what was forgotten, what it cost and each deletion's lifecycle")
        {
            data, threads, seed,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            CommonOptions.PrepareCompute(parse.GetValue(threads));
            var mnist = ProgressBoard.Run(board =>
            {
                var bar = board.Add("load MNIST", 1);
                var loaded = MnistData.Load(parse.GetValue(data));
                bar.Complete($"{loaded.Train.Count:N0} training and {loaded.Test.Count:N0} test images");
                return loaded;
            });
            var runSeed = parse.GetValue(seed);
            await using var cluster = await EmbeddedCluster.StartAsync(parse.GetValue(data), cancellationToken);
            var runner = (IProgressBoard board) => new DemoRunner(mnist, runSeed, cluster.Client, board);
            var exact = ProgressBoard.Run(board => runner(board).ForgetHeaviestUserWithSisa(cancellationToken).GetAwaiter().GetResult());
            var output = ResultConsole.Create();
            DemoTables.Print(output, exact);
            var approximate = ProgressBoard.Run(board => runner(board).ForgetDigitOwnerWithFisherScrub(cancellationToken).GetAwaiter().GetResult());
            DemoTables.Print(output, approximate);
            return 0;
        }));
        return command;
    }
}
