using Lethe.Learning.Blas;

namespace Lethe.Learning.Tests;

public class GemmTests
{
    [Theory]
    [InlineData(Transpose.No, Transpose.No, 5, 7, 3)]
    [InlineData(Transpose.No, Transpose.Yes, 5, 7, 3)]
    [InlineData(Transpose.Yes, Transpose.No, 5, 7, 3)]
    [InlineData(Transpose.Yes, Transpose.Yes, 5, 7, 3)]
    [InlineData(Transpose.No, Transpose.Yes, 256, 128, 100)] // split by rows
    [InlineData(Transpose.Yes, Transpose.No, 40, 300, 64)]   // split by columns
    [InlineData(Transpose.No, Transpose.No, 130, 70, 90)]
    public void Product_matches_a_naive_triple_loop(Transpose ta, Transpose tb, int m, int n, int k)
    {
        var random = new Random(42);
        var a = RandomMatrix(m * k, random);
        var b = RandomMatrix(k * n, random);
        var c = RandomMatrix(m * n, random);
        var expected = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                {
                    var aip = ta == Transpose.No ? a[(i * k) + p] : a[(p * m) + i];
                    var bpj = tb == Transpose.No ? b[(p * n) + j] : b[(j * k) + p];
                    sum += aip * bpj;
                }

                expected[(i * n) + j] = (0.5 * sum) + (2.0 * c[(i * n) + j]);
            }
        }

        Gemm.Multiply(ta, tb, m, n, k, 0.5f, a, b, 2f, c);

        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], c[i], 1e-3);
    }

    [Fact]
    public void Concurrent_products_from_many_threads_equal_the_serial_result()
    {
        var random = new Random(7);
        const int m = 200, n = 150, k = 120;
        var a = RandomMatrix(m * k, random);
        var b = RandomMatrix(k * n, random);
        var serial = new float[m * n];
        Gemm.Multiply(Transpose.No, Transpose.No, m, n, k, 1f, a, b, 0f, serial);

        var results = new float[8][];
        Parallel.For(0, results.Length, t =>
        {
            for (var repeat = 0; repeat < 20; repeat++)
            {
                results[t] = new float[m * n];
                Gemm.Multiply(Transpose.No, Transpose.No, m, n, k, 1f, a, b, 0f, results[t]);
            }
        });

        foreach (var result in results) Assert.Equal(serial, result);
    }

    [Fact]
    public void Too_short_operands_are_rejected()
    {
        var small = new float[5];
        var ok = new float[100];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, 3, 3, 1f, small, ok, 0f, ok));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, 3, 3, 1f, ok, small, 0f, ok));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, 3, 3, 1f, ok, ok, 0f, small));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, -1, 3, 3, 1f, ok, ok, 0f, ok));
    }

    [Fact]
    public void A_missing_library_gives_one_error_naming_the_package()
    {
        var error = Assert.Throws<DllNotFoundException>(() => OpenBlasLibrary.Load(["libnot-openblas-at-all.so.9"]));
        Assert.Contains("libopenblas0-pthread", error.Message, StringComparison.Ordinal);
        Assert.Contains("libnot-openblas-at-all.so.9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trace_records_the_shapes_issued_on_this_thread()
    {
        var a = new float[12];
        var b = new float[12];
        var c = new float[16];
        using (GemmTrace.Record(out var shapes))
        {
            Gemm.Multiply(Transpose.No, Transpose.Yes, 4, 4, 3, 1f, a, b, 0f, c);
            Assert.Equal([new GemmShape(Transpose.No, Transpose.Yes, 4, 4, 3)], shapes);
        }

        Gemm.Multiply(Transpose.No, Transpose.Yes, 4, 4, 3, 1f, a, b, 0f, c);
    }

    private static float[] RandomMatrix(int length, Random random) =>
        Enumerable.Range(0, length).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
}
