using System.Numerics.Tensors;
using Lethe.Learning.Losses;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// SCRUB's per-row objective on a student's logits z given a teacher's logits t:
/// <c>klWeight · T² KL(softmax(t/T) ‖ softmax(z/T)) + ceWeight · CE(z, y)</c>. Its gradient in z is
/// <c>klWeight · T (softmax(z/T) − softmax(t/T)) + ceWeight · (softmax(z) − onehot(y))</c>.
/// </summary>
internal static class DistillationObjective
{
    /// <summary>
    /// Writes <c>scale ·</c> the gradient of each row into <paramref name="delta"/> and each row's KL term
    /// (T² KL, unweighted) into <paramref name="rowKl"/>. <paramref name="scratch"/> holds at least 2 × classes floats.
    /// </summary>
    public static void Evaluate(
        ReadOnlySpan<float> student, ReadOnlySpan<float> teacher, ReadOnlySpan<int> labels, int classes,
        float temperature, float klWeight, float ceWeight, float scale, Span<float> delta, Span<float> rowKl, Span<float> scratch)
    {
        var scaledStudent = scratch[..classes];
        var teacherSoft = scratch.Slice(classes, classes);
        for (var n = 0; n < rowKl.Length; n++)
        {
            var z = student.Slice(n * classes, classes);
            var row = delta.Slice(n * classes, classes);
            TensorPrimitives.Divide(teacher.Slice(n * classes, classes), temperature, teacherSoft);
            var teacherLogSum = Softmax.Row(teacherSoft, teacherSoft);
            TensorPrimitives.Divide(z, temperature, scaledStudent);
            var studentLogSum = Softmax.Row(scaledStudent, row);

            // KL(q ‖ p) = Σ q (log q − log p), with log q = t/T − lse_t and log p = z/T − lse_z.
            double kl = 0;
            for (var k = 0; k < classes; k++)
            {
                if (teacherSoft[k] <= 0) continue;
                var logRatio = (teacher[(n * classes) + k] / temperature) - teacherLogSum - scaledStudent[k] + studentLogSum;
                kl += teacherSoft[k] * logRatio;
            }

            rowKl[n] = (float)(kl * temperature * temperature);
            TensorPrimitives.Subtract(row, teacherSoft, row);
            TensorPrimitives.Multiply(row, klWeight * temperature, row);
            if (ceWeight != 0)
            {
                Softmax.Row(z, scaledStudent);
                scaledStudent[labels[n]] -= 1f;
                TensorPrimitives.MultiplyAdd(scaledStudent, ceWeight, row, row);
            }

            TensorPrimitives.Multiply(row, scale, row);
        }
    }
}
