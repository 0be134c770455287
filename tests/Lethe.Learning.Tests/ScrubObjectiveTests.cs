using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Tests;

/// <summary>SCRUB's distillation objective: its value and its logit gradient against central differences.</summary>
public class ScrubObjectiveTests
{
    private const int Classes = 4;
    private const float Temperature = 3f;
    private static readonly float[] Teacher = [1.0f, 2.5f, -0.5f, 0.2f, 3.0f, 0.0f, -1.0f, 1.5f];
    private static readonly float[] Student = [0.7f, 2.0f, 0.4f, -0.3f, 1.0f, 0.5f, 0.8f, 1.1f];
    private static readonly int[] Labels = [1, 3];

    [Theory]
    [InlineData(-1f, 0f)]
    [InlineData(0.25f, 0.75f)]
    public void The_logit_gradient_matches_central_differences(float klWeight, float ceWeight)
    {
        var delta = new float[Student.Length];
        Evaluate(Student, klWeight, ceWeight, delta);

        for (var i = 0; i < Student.Length; i++)
        {
            var plus = (float[])Student.Clone();
            var minus = (float[])Student.Clone();
            plus[i] += 1e-3f;
            minus[i] -= 1e-3f;
            var numeric = (Objective(plus, klWeight, ceWeight) - Objective(minus, klWeight, ceWeight)) / 2e-3;
            Assert.True(Math.Abs(numeric - delta[i]) < 2e-3, $"logit {i}: numeric {numeric:F5}, analytic {delta[i]:F5}");
        }
    }

    [Fact]
    public void The_kl_term_is_zero_when_the_student_is_the_teacher_and_matches_the_definition_otherwise()
    {
        Assert.All(RowKl(Teacher), kl => Assert.True(Math.Abs(kl) < 1e-5, $"KL {kl}"));
        var rows = RowKl(Student);
        for (var n = 0; n < Labels.Length; n++)
        {
            var q = SoftmaxOf(Teacher.AsSpan(n * Classes, Classes), Temperature);
            var p = SoftmaxOf(Student.AsSpan(n * Classes, Classes), Temperature);
            var expected = Temperature * Temperature * q.Select((qk, k) => qk * Math.Log(qk / p[k])).Sum();
            Assert.Equal(expected, rows[n], 4);
        }
    }

    private static double Objective(float[] student, float klWeight, float ceWeight)
    {
        double total = 0;
        var kl = RowKl(student);
        for (var n = 0; n < Labels.Length; n++)
        {
            var p = SoftmaxOf(student.AsSpan(n * Classes, Classes), 1f);
            total += (klWeight * kl[n]) - (ceWeight * Math.Log(p[Labels[n]]));
        }

        return total;
    }

    private static float[] RowKl(float[] student)
    {
        var rowKl = new float[Labels.Length];
        DistillationObjective.Evaluate(Student.Length == student.Length ? student : throw new ArgumentException("size"), Teacher, Labels, Classes, Temperature, 1f, 0f, 1f,
            new float[student.Length], rowKl, new float[2 * Classes]);
        return rowKl;
    }

    private static void Evaluate(float[] student, float klWeight, float ceWeight, float[] delta) =>
        DistillationObjective.Evaluate(student, Teacher, Labels, Classes, Temperature, klWeight, ceWeight, 1f, delta, new float[Labels.Length], new float[2 * Classes]);

    private static double[] SoftmaxOf(ReadOnlySpan<float> logits, float temperature)
    {
        var scaled = logits.ToArray().Select(z => Math.Exp(z / temperature)).ToArray();
        var sum = scaled.Sum();
        return scaled.Select(e => e / sum).ToArray();
    }
}
