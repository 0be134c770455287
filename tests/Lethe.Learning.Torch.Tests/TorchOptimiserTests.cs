using Lethe.Learning.Checkpoints;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Torch.Tests;

public class TorchOptimiserTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Before_its_first_step_a_torch_optimiser_saves_what_a_fresh_lethe_optimiser_saves(string optimiser)
    {
        var options = Backends.Recipe(optimiser);
        var mlp = Mlp.Create(Mlp.DefaultSizes, Backends.RunSeed, 0);
        using var model = TorchMlp.FromMlp(mlp, TorchCpu.Device);
        using var fresh = TorchOptimiser.Create(model, options);

        Assert.Equal(ModelCheckpoint.Save(mlp, options.CreateOptimiser(mlp.Parameters.Length)), TorchCheckpoint.Save(model, fresh));
    }

    [Fact]
    public void A_state_of_another_kind_or_size_is_refused_and_the_optimiser_keeps_its_own()
    {
        using var model = TorchMlp.FromMlp(Mlp.Create([4, 3, 2], Backends.RunSeed, 0), TorchCpu.Device);
        using var sgd = TorchOptimiser.Create(model, Backends.Recipe("sgd"));
        var before = sgd.SaveState();

        var otherKind = Assert.Throws<ArgumentException>(() => sgd.LoadState(new Adam(23).SaveState()));
        var otherSize = Assert.Throws<ArgumentException>(() => sgd.LoadState(new SgdMomentum(24).SaveState()));

        Assert.Contains("'adam'", otherKind.Message, StringComparison.Ordinal);
        Assert.Contains("23 values", otherSize.Message, StringComparison.Ordinal);
        Assert.Equal(before.Buffers["momentum"], sgd.SaveState().Buffers["momentum"]);
        Assert.Equal(0, sgd.SaveState().Steps);
    }
}
