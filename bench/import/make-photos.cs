#:package NetVips
#:package NetVips.Native.linux-x64
// Makes the import benchmark's photo set from the test photos: 8 JPEGs of 10–16 MP and 8 of 2 MP, each a distinct
// crop and scale, so none is a duplicate. Deterministic: the same inputs give the same files.
using NetVips;

var (source, output) = (args[0], args[1]);
Directory.CreateDirectory(output);
string[] bases = ["large-4608x3456-kodak-pixpro.jpg", "orientation-1-landscape.jpg", "gps-samsung-galaxy-note5.jpg", "no-exif-casio.jpg"];
for (var i = 0; i < 16; i++)
{
    using var image = Image.NewFromFile(Path.Combine(source, bases[i % bases.Length]));
    var megapixels = i < 8 ? 10 + (i * 6.0 / 7) : 2;
    var scale = Math.Sqrt(megapixels * 1e6 / (image.Width * (double)image.Height));
    using var resized = image.Resize(scale * (1 + (i * 0.003)));
    resized.WriteToFile(Path.Combine(output, $"photo-{i:00}.jpg"), new VOption { { "Q", 90 } });
    Console.WriteLine($"photo-{i:00}.jpg {resized.Width}x{resized.Height}");
}
