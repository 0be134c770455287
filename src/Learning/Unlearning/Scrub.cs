using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;
using Lethe.Learning.Threading;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// SCRUB (Kurmanji et al., "Towards Unbounded Machine Unlearning", 2023): the live model is the teacher
/// and a copy of it the student. Each epoch, while max epochs remain, a pass over the forget set takes
/// steps that push the student's predictions away from the teacher's (ascent on T² KL(teacher ‖ student));
/// then a pass over the retain set takes steps toward the teacher and the labels (descent on
/// α T² KL + γ CE). The student is returned.
/// </summary>
/// <remarks>
/// One min pass comes before the first epoch. The paper's student starts apart from its teacher (it
/// trains in dropout and batch-norm training mode while the teacher evaluates); Lethe's MLP has no such
/// randomness, so a student equal to its teacher sits at the KL's minimum, where the first max pass's
/// gradient is exactly zero.
/// </remarks>
public sealed class Scrub(ScrubOptions? options = null) : IUnlearningMethod
{
    private const int RowGrain = 16;
    private const int ForgetStream = 9;
    private const int RetainStream = 10;

    /// <summary>The settings in use.</summary>
    public ScrubOptions Options { get; } = (options ?? new ScrubOptions()).Validate();

    /// <inheritdoc />
    public string Name => "scrub";

    /// <inheritdoc />
    public UnlearningResult Unlearn(Mlp model, Dataset data, int[] forget, int[] retain, long seed, CancellationToken cancellationToken = default)
    {
        UnlearningInputs.Validate(model, data, forget, retain);
        var student = model.Clone();
        var pass = new DistillationPass(model, student, Math.Max(Options.ForgetBatchSize, Options.RetainBatchSize), new Adam(student.Parameters.Length, Options.LearningRate));
        var forgetOrder = (int[])forget.Clone();
        var ceiling = Options.ForgetKlCeiling ?? double.PositiveInfinity;
        var maxPass = new PassTotals();
        var minPass = new PassTotals();
        for (var epoch = 0; epoch <= Options.Epochs; epoch++)
        {
            // Epoch 0 is the min pass that parts student from teacher; epochs 1..MaxEpochs open with a max pass.
            if (epoch >= 1 && epoch <= Options.MaxEpochs)
            {
                Seeds.Generator(seed, Seeds.Purpose.Shuffle, ForgetStream, epoch).Shuffle(forgetOrder);
                maxPass.Add(() => pass.Run(data, forgetOrder, Options.ForgetBatchSize, klWeight: -1f, ceWeight: 0f, Options.Temperature, ceiling, cancellationToken));
            }

            var retainOrder = Options.RetainSamplesPerEpoch is { } samples
                ? IndexSampling.Draw(retain, samples, Seeds.Generator(seed, Seeds.Purpose.Sampling, RetainStream, epoch))
                : (int[])retain.Clone();
            Seeds.Generator(seed, Seeds.Purpose.Shuffle, RetainStream, epoch).Shuffle(retainOrder);
            minPass.Add(() => pass.Run(
                data, retainOrder, Options.RetainBatchSize, Options.RetainKlWeight, Options.RetainCeWeight, Options.Temperature, double.PositiveInfinity, cancellationToken));
        }

        var phases = new[] { new PhaseTiming("max", maxPass.Time), new PhaseTiming("min", minPass.Time) };
        var details = new Dictionary<string, double>
        {
            ["max_steps"] = maxPass.Steps,
            ["min_steps"] = minPass.Steps,
            ["forget_kl_last_max_pass"] = maxPass.LastMeanKl,
            ["retain_kl_last_min_pass"] = minPass.LastMeanKl,
        };
        return new UnlearningResult(student, new UnlearningReport(Name, forget.Length, retain.Length, phases, details));
    }

    /// <summary>Steps, time and the last pass's mean KL, over the passes of one kind.</summary>
    private sealed class PassTotals
    {
        public int Steps { get; private set; }

        public TimeSpan Time { get; private set; }

        public double LastMeanKl { get; private set; } = double.NaN;

        public void Add(Func<(double MeanKl, int Steps)> pass)
        {
            var clock = Stopwatch.StartNew();
            var (meanKl, steps) = pass();
            Time += clock.Elapsed;
            Steps += steps;
            LastMeanKl = meanKl;
        }
    }

    /// <summary>Runs teacher and student on the same batches and steps the student on the distillation objective.</summary>
    private sealed class DistillationPass(Mlp teacher, Mlp student, int capacity, Adam optimiser)
    {
        private readonly MlpWorkspace teacherWorkspace = new(teacher, capacity);
        private readonly MlpWorkspace studentWorkspace = new(student, capacity);
        private readonly float[] gradients = new float[student.Parameters.Length];

        /// <summary>
        /// One pass over <paramref name="order"/>, stopping at a batch whose mean T² KL is above
        /// <paramref name="stopAbove"/>; returns the mean T² KL(teacher ‖ student) of the batches seen (before
        /// their steps) and the steps taken.
        /// </summary>
        public (double MeanKl, int Steps) Run(
            Dataset data, int[] order, int batchSize, float klWeight, float ceWeight, float temperature, double stopAbove, CancellationToken cancellationToken)
        {
            double klSum = 0;
            int steps = 0, seen = 0;
            for (var start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = Math.Min(batchSize, order.Length - start);
                var batchKl = Evaluate(data, order.AsMemory(start, batch), klWeight, ceWeight, temperature);
                klSum += batchKl;
                seen += batch;
                // The KL is measured before the step it drives, so a batch already past the ceiling takes no step.
                if (batchKl / batch > stopAbove) break;
                optimiser.BeginStep();
                studentWorkspace.Backward(batch, gradients, optimiser);
                steps++;
            }

            return (klSum / seen, steps);
        }

        /// <summary>Runs the batch through both models and writes the student's output deltas; returns the batch's summed T² KL.</summary>
        private double Evaluate(Dataset data, ReadOnlyMemory<int> rows, float klWeight, float ceWeight, float temperature)
        {
            var batch = rows.Length;
            var classes = student.OutputSize;
            data.Gather(rows, studentWorkspace.Input, studentWorkspace.Labels);
            Array.Copy(studentWorkspace.Input, teacherWorkspace.Input, batch * student.InputSize);
            teacherWorkspace.Forward(batch);
            studentWorkspace.Forward(batch);
            var teacherLogits = teacherWorkspace.Activation(teacher.Layers.Count);
            var studentLogits = studentWorkspace.Activation(student.Layers.Count);
            var labels = studentWorkspace.Labels;
            var delta = studentWorkspace.OutputDelta;
            var rowKl = studentWorkspace.RowLosses;
            ComputePool.For(batch, RowGrain, (from, to) =>
            {
                Span<float> scratch = stackalloc float[2 * classes];
                var logits = new Range(from * classes, to * classes);
                DistillationObjective.Evaluate(
                    studentLogits.AsSpan(logits), teacherLogits.AsSpan(logits), labels.AsSpan(from, to - from), classes, temperature, klWeight, ceWeight,
                    1f / batch, delta.AsSpan(logits), rowKl.AsSpan(from, to - from), scratch);
            });
            double total = 0;
            for (var n = 0; n < batch; n++) total += rowKl[n];
            return total;
        }
    }
}
