using Lethe.Learning.Losses;
using Lethe.Learning.Models;

namespace Lethe.Learning.Tests;

/// <summary>Backpropagation against central finite differences, for every parameter of a tiny network.</summary>
public class GradientCheckTests
{
    private const int Batch = 7;
    private const float Step = 1e-3f;
    private const double KinkMargin = 0.01; // finite differences are only valid away from a ReLU's kink

    public static TheoryData<string> Losses => new() { "cross-entropy", "uniform-kl" };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Every_parameter_tensor_matches_central_differences(string lossName)
    {
        ILoss loss = lossName == "cross-entropy" ? CrossEntropyLoss.Instance : UniformKlLoss.Instance;
        var (model, workspace) = NetworkAwayFromKinks();
        var analytic = new float[model.Parameters.Length];
        workspace.Forward(Batch);
        workspace.ApplyLoss(loss, Batch, 1f);
        workspace.Backward(Batch, analytic);

        foreach (var slot in model.Slots)
        {
            double differenceSquared = 0, normSquared = 0, worstAbsolute = 0;
            for (var i = slot.Offset; i < slot.Offset + slot.Length; i++)
            {
                var numeric = CentralDifference(model, workspace, loss, i);
                differenceSquared += Math.Pow(numeric - analytic[i], 2);
                normSquared += Math.Pow(Math.Abs(numeric) + Math.Abs(analytic[i]), 2);
                worstAbsolute = Math.Max(worstAbsolute, Math.Abs(numeric - analytic[i]));
            }

            var relative = Math.Sqrt(differenceSquared / normSquared);
            Assert.True(relative < 1e-2 && worstAbsolute < 5e-3, $"{slot.Name}: relative error {relative:E2}, worst absolute {worstAbsolute:E2}");
        }
    }

    [Fact]
    public void A_wrong_gradient_fails_the_comparison()
    {
        var (model, workspace) = NetworkAwayFromKinks();
        var analytic = new float[model.Parameters.Length];
        workspace.Forward(Batch);
        workspace.ApplyLoss(CrossEntropyLoss.Instance, Batch, 1f);
        workspace.Backward(Batch, analytic);
        var index = model.Slots[0].Offset + 3;

        var numeric = CentralDifference(model, workspace, CrossEntropyLoss.Instance, index);

        Assert.True(Math.Abs(numeric - analytic[index]) < 5e-3);
        Assert.False(Math.Abs(numeric - (analytic[index] * 1.1) - 0.01) < 5e-3);
    }

    private static double CentralDifference(Mlp model, MlpWorkspace workspace, ILoss loss, int index)
    {
        var original = model.Parameters[index];
        model.Parameters[index] = original + Step;
        var plus = TotalLoss(workspace, loss);
        model.Parameters[index] = original - Step;
        var minus = TotalLoss(workspace, loss);
        model.Parameters[index] = original;
        return (plus - minus) / (2.0 * Step);
    }

    private static double TotalLoss(MlpWorkspace workspace, ILoss loss)
    {
        workspace.Forward(Batch);
        return workspace.ApplyLoss(loss, Batch, 1f);
    }

    /// <summary>The first seeded tiny network and batch whose hidden pre-activations all keep <see cref="KinkMargin"/> from zero.</summary>
    private static (Mlp Model, MlpWorkspace Workspace) NetworkAwayFromKinks()
    {
        for (var seed = 1; ; seed++)
        {
            var model = Mlp.Create([6, 5, 4, 3], seed);
            var workspace = new MlpWorkspace(model, Batch);
            var random = new Random(seed);
            for (var i = 0; i < Batch * 6; i++) workspace.Input[i] = (random.NextSingle() * 4) - 2;
            for (var i = 0; i < Batch; i++) workspace.Labels[i] = random.Next(3);
            if (SmallestHiddenPreActivation(model, workspace) > KinkMargin) return (model, workspace);
        }
    }

    private static double SmallestHiddenPreActivation(Mlp model, MlpWorkspace workspace)
    {
        var smallest = double.MaxValue;
        var input = workspace.Input.Take(Batch * model.InputSize).Select(x => (double)x).ToArray();
        foreach (var layer in model.Layers.Take(model.Layers.Count - 1))
        {
            var w = layer.Weight.Of(model.Parameters).ToArray();
            var b = layer.Bias.Of(model.Parameters).ToArray();
            var output = new double[Batch * layer.Outputs];
            for (var n = 0; n < Batch; n++)
            {
                for (var j = 0; j < layer.Outputs; j++)
                {
                    double z = b[j];
                    for (var i = 0; i < layer.Inputs; i++) z += w[(j * layer.Inputs) + i] * input[(n * layer.Inputs) + i];
                    smallest = Math.Min(smallest, Math.Abs(z));
                    output[(n * layer.Outputs) + j] = Math.Max(z, 0);
                }
            }

            input = output;
        }

        return smallest;
    }
}
