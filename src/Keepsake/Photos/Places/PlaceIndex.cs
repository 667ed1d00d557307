using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Keepsake.Photos.Places;

/// <summary>A named place: the town or city, its region (a state, a province) when GeoNames names one, and its country.</summary>
public sealed record Place(string City, string? Region, string Country, string CountryCode);

/// <summary>
/// Every populated place of GeoNames' cities500 in memory, as columns sorted by 1° cell, for reverse geocoding without a
/// network. The file is made at build time by tools/place-data/convert.mjs, which describes its format. About 6 MB once
/// loaded: fixed-point coordinates, and names kept as UTF-8 and decoded only for the place found.
/// </summary>
public sealed class PlaceIndex
{
    /// <summary>How far a photo may be from a place and still be said to be taken there.</summary>
    public const double MaxDistanceKm = 30;

    private const double KmPerDegree = 111.195;
    private const int Columns = 360;
    private const ushort NoRegion = 0xFFFF;

    private readonly string[] countryCodes;
    private readonly string[] countryNames;
    private readonly string[] regionNames;
    private readonly int[] latitudes;
    private readonly int[] longitudes;
    private readonly ushort[] countries;
    private readonly ushort[] regions;
    private readonly float[] pulls;
    private readonly int[] nameStarts;
    private readonly byte[] names;

    /// <summary>Where each 1° cell's places start; cell c holds the places from <c>cellStarts[c]</c> to <c>cellStarts[c + 1]</c>.</summary>
    private readonly int[] cellStarts = new int[(180 * Columns) + 1];

    private PlaceIndex(BinaryReader reader)
    {
        if (!BitConverter.IsLittleEndian || Encoding.ASCII.GetString(reader.ReadBytes(4)) != "KSPL" || reader.ReadByte() != 2)
        {
            throw new InvalidDataException("The embedded place names are not in the format this build reads.");
        }
        var countryCount = reader.ReadUInt16();
        (countryCodes, countryNames) = (new string[countryCount], new string[countryCount]);
        for (var i = 0; i < countryCount; i++)
        {
            countryCodes[i] = Encoding.ASCII.GetString(reader.ReadBytes(2));
            countryNames[i] = ReadString(reader);
        }
        regionNames = new string[reader.ReadUInt16()];
        for (var i = 0; i < regionNames.Length; i++)
        {
            reader.ReadUInt16();
            regionNames[i] = ReadString(reader);
        }
        var count = reader.ReadInt32();
        latitudes = ReadColumn<int>(reader, count);
        longitudes = ReadColumn<int>(reader, count);
        countries = ReadColumn<ushort>(reader, count);
        regions = ReadColumn<ushort>(reader, count);
        pulls = ReadPulls(reader, count);
        (nameStarts, names) = ReadNames(reader, count);
        IndexCells(count);
    }

    public int Count => latitudes.Length;

    /// <summary>Reads the index from the build's compressed file.</summary>
    public static PlaceIndex Load(Stream compressed)
    {
        using var brotli = new BrotliStream(compressed, CompressionMode.Decompress);
        using var reader = new BinaryReader(new BufferedStream(brotli, 1 << 16));
        return new PlaceIndex(reader);
    }

    /// <summary>
    /// The place a photo taken at <paramref name="latitude"/>, <paramref name="longitude"/> was taken in: of the places within
    /// <see cref="MaxDistanceKm"/>, the one whose distance weighed by its population's pull is least, so that a photo by the
    /// Eiffel Tower is in Paris rather than in the smaller town whose centre is a little nearer. Null when none is that near.
    /// </summary>
    public Place? Nearest(double latitude, double longitude)
    {
        var best = -1;
        var bestScore = double.MaxValue;
        var latitudeReach = MaxDistanceKm / KmPerDegree;
        var firstRow = Math.Max(0, (int)Math.Floor(latitude - latitudeReach) + 90);
        var lastRow = Math.Min(179, (int)Math.Floor(latitude + latitudeReach) + 90);
        var narrowest = Math.Cos(Math.Min(89.9, Math.Max(Math.Abs(latitude - latitudeReach), Math.Abs(latitude + latitudeReach))) * Math.PI / 180);
        var columnReach = (int)Math.Ceiling(latitudeReach / narrowest) + 1;
        var column = (int)Math.Floor(longitude) + 180;
        var (firstColumn, lastColumn) = columnReach * 2 + 1 >= Columns ? (0, Columns - 1) : (column - columnReach, column + columnReach);
        for (var row = firstRow; row <= lastRow; row++)
        {
            for (var c = firstColumn; c <= lastColumn; c++)
            {
                var cell = (row * Columns) + (((c % Columns) + Columns) % Columns);
                for (var i = cellStarts[cell]; i < cellStarts[cell + 1]; i++)
                {
                    var distance = DistanceKm(latitude, longitude, latitudes[i] / 1e5, longitudes[i] / 1e5);
                    var score = distance / pulls[i];
                    if (distance <= MaxDistanceKm && score < bestScore)
                    {
                        (best, bestScore) = (i, score);
                    }
                }
            }
        }
        return best < 0 ? null : PlaceAt(best);
    }

    private Place PlaceAt(int i) => new(
        Encoding.UTF8.GetString(names, nameStarts[i], nameStarts[i + 1] - nameStarts[i]),
        regions[i] == NoRegion ? null : regionNames[regions[i]],
        countryNames[countries[i]],
        countryCodes[countries[i]]);

    /// <summary>Equirectangular distance: within tens of kilometres it is as good as the great circle, and cheaper.</summary>
    private static double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var longitudeDifference = ((longitude2 - longitude1 + 540) % 360) - 180;
        var x = longitudeDifference * Math.Cos((latitude1 + latitude2) / 2 * Math.PI / 180);
        var y = latitude2 - latitude1;
        return Math.Sqrt((x * x) + (y * y)) * KmPerDegree;
    }

    private void IndexCells(int count)
    {
        var cell = 0;
        for (var i = 0; i < count; i++)
        {
            var own = CellOf(latitudes[i], longitudes[i]);
            if (own < cell)
            {
                throw new InvalidDataException("The embedded place names are not sorted by cell.");
            }
            while (cell < own)
            {
                cellStarts[++cell] = i;
            }
        }
        while (cell < cellStarts.Length - 1)
        {
            cellStarts[++cell] = count;
        }
    }

    private static int CellOf(int latitude, int longitude) =>
        ((Math.Min(179, (int)Math.Floor(latitude / 1e5) + 90)) * Columns) + Math.Min(Columns - 1, (int)Math.Floor(longitude / 1e5) + 180);

    private static T[] ReadColumn<T>(BinaryReader reader, int count)
        where T : struct
    {
        var column = new T[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(column.AsSpan()));
        return column;
    }

    /// <summary>
    /// A big city draws photos from farther than a village: the distance is weighed by population^0.3 (see <see cref="Nearest"/>).
    /// The populations are read into the column of pulls and turned into them in place, with no second array.
    /// </summary>
    private static float[] ReadPulls(BinaryReader reader, int count)
    {
        var pulls = new float[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(pulls.AsSpan()));
        var populations = MemoryMarshal.Cast<float, uint>(pulls.AsSpan());
        for (var i = 0; i < count; i++)
        {
            pulls[i] = MathF.Pow(Math.Max(populations[i], 100), 0.3f);
        }
        return pulls;
    }

    /// <summary>The names, UTF-8 in one array, and where each starts, from their lengths.</summary>
    private static (int[] Starts, byte[] Names) ReadNames(BinaryReader reader, int count)
    {
        var starts = new int[count + 1];
        var lengths = new ushort[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(lengths.AsSpan()));
        for (var i = 0; i < count; i++)
        {
            starts[i + 1] = starts[i] + lengths[i];
        }
        var names = new byte[reader.ReadUInt32()];
        if (names.Length != starts[count])
        {
            throw new InvalidDataException("The embedded place names' lengths do not add up.");
        }
        reader.BaseStream.ReadExactly(names);
        return (starts, names);
    }

    private static string ReadString(BinaryReader reader) => Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadUInt16()));
}
