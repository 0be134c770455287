using System.IO.Compression;
using Lethe.Learning.Data;

namespace Lethe.Learning.Tests;

public class IdxFileTests
{
    [Fact]
    public void MNIST_loads_with_its_published_shape_and_label_counts()
    {
        var train = TestData.MnistTrain;
        Assert.Equal(60_000, train.Count);
        Assert.Equal(784, train.FeatureCount);
        Assert.Equal(10, train.ClassCount);
        Assert.Equal(5923, train.Labels.Count(l => l == 0)); // the published count of zeros in MNIST train
        Assert.Equal(10_000, TestData.MnistTest.Count);
    }

    [Fact]
    public void Normalisation_matches_torchvision()
    {
        var data = new Dataset([0, 255, 51], [1], 3, 10, Normalisation.Mnist);
        var features = new float[3];
        data.Gather(new[] { 0 }, features, new int[1]);
        Assert.Equal((0f - 0.1307f) / 0.3081f, features[0], 5);
        Assert.Equal((1f - 0.1307f) / 0.3081f, features[1], 5);
        Assert.Equal((0.2f - 0.1307f) / 0.3081f, features[2], 5);
    }

    [Fact]
    public void A_plain_file_and_a_gzip_file_read_the_same()
    {
        using var folder = TestData.TemporaryFolder();
        var bytes = Idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);
        var plain = Path.Combine(folder.Path, "plain");
        var gzip = Path.Combine(folder.Path, "plain.gz");
        File.WriteAllBytes(plain, bytes);
        using (var stream = new GZipStream(File.Create(gzip), CompressionLevel.Fastest)) stream.Write(bytes);

        var fromPlain = IdxFile.Read(plain);
        var fromGzip = IdxFile.Read(gzip);

        Assert.Equal([2, 3], fromPlain.Dimensions);
        Assert.Equal(fromPlain.Data, fromGzip.Data);
        Assert.Equal(fromPlain.Dimensions, fromGzip.Dimensions);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, "header truncated")]
    [InlineData(new byte[] { 1, 2, 8, 1, 0, 0, 0, 1, 7 }, "wrong IDX magic")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, "not supported")]
    [InlineData(new byte[] { 0, 0, 8, 0 }, "no dimensions")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0, 2 }, "header truncated")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3 }, "data truncated")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 1, 2 }, "beyond")]
    public void Malformed_files_give_a_clear_error(byte[] bytes, string expected)
    {
        using var folder = TestData.TemporaryFolder();
        var path = Path.Combine(folder.Path, "bad-idx");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_gzip_stream_gives_a_clear_error()
    {
        using var folder = TestData.TemporaryFolder();
        var path = Path.Combine(folder.Path, "cut.gz");
        var whole = File.ReadAllBytes(Path.Combine(TestData.Root(), "mnist", "t10k-labels-idx1-ubyte.gz"));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_and_labels_that_disagree_are_rejected()
    {
        var images = new IdxFile([2, 2, 2], new byte[8]);
        var labels = new IdxFile([3], new byte[3]);
        var error = Assert.Throws<InvalidDataException>(() => ImageDatasets.FromIdx(images, labels, Normalisation.Mnist, "pair"));
        Assert.Contains("2 images but 3 labels", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ImageDatasets.FromIdx(labels, labels, Normalisation.Mnist, "pair"));
    }

    [Fact]
    public void An_explicit_data_path_that_does_not_hold_the_dataset_is_an_error_naming_it()
    {
        using var folder = TestData.TemporaryFolder();
        var error = Assert.Throws<DirectoryNotFoundException>(() => DataRoot.Resolve("mnist", folder.Path));
        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_search_order_is_flag_then_environment_then_local_then_shared()
    {
        var candidates = DataRoot.Candidates("/flag");
        Assert.Equal("/flag", candidates[0]);
        Assert.Equal("data", candidates[^2]);
        Assert.Equal(Path.Combine("..", "shared", "data"), candidates[^1]);
    }

    private static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        var header = new List<byte> { 0, 0, type, (byte)dimensions.Length };
        foreach (var d in dimensions) header.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        return [.. header, .. data];
    }
}
