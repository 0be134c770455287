using System.Buffers.Binary;
using System.IO.Compression;

namespace Lethe.Learning.Data;

/// <summary>An IDX file of unsigned bytes (the MNIST format): its dimensions and its data.</summary>
public sealed record IdxFile(int[] Dimensions, byte[] Data)
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file, gzip-compressed (<c>.gz</c>, detected by its magic bytes) or plain.</summary>
    /// <exception cref="InvalidDataException">The header is malformed, the magic is wrong, or the data is truncated.</exception>
    public static IdxFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        byte[] bytes;
        try
        {
            bytes = Decompress(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: not a valid gzip stream ({e.Message})", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of an uncompressed IDX file; <paramref name="source"/> names it in errors.</summary>
    public static IdxFile Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{source}: IDX header truncated ({bytes.Length} bytes, need at least 4).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{source}: wrong IDX magic 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8} (must start with two zero bytes).");
        if (bytes[2] != UnsignedByteType)
            throw new InvalidDataException($"{source}: IDX element type 0x{bytes[2]:X2} is not supported (only unsigned bytes, 0x08).");
        int rank = bytes[3];
        if (rank == 0)
            throw new InvalidDataException($"{source}: IDX header declares no dimensions.");
        var headerLength = 4 + (4 * rank);
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{source}: IDX header truncated ({bytes.Length} bytes, the {rank} dimensions need {headerLength}).");

        var dimensions = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 + (4 * i))..]);
            if (size > int.MaxValue) throw new InvalidDataException($"{source}: IDX dimension {i} is too large ({size}).");
            dimensions[i] = (int)size;
            count *= size;
        }

        var payload = bytes[headerLength..];
        if (payload.Length < count)
            throw new InvalidDataException($"{source}: IDX data truncated: the header promises {count} bytes ({string.Join('x', dimensions)}), the file holds {payload.Length}.");
        if (payload.Length > count)
            throw new InvalidDataException($"{source}: IDX file has {payload.Length - count} bytes beyond the {count} its header declares.");
        return new IdxFile(dimensions, payload.ToArray());
    }

    private static byte[] Decompress(byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream(bytes.Length * 4);
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
