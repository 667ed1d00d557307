using System.Diagnostics;
using System.Globalization;
using Keepsake.Photos.Places;

// What naming places costs a server: the first use loads the embedded index (time, process memory), then each lookup.
//   dotnet run -c Release --project bench/PlaceLookup -- [lookups=200000]
var lookups = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;

static long Rss()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var self = Process.GetCurrentProcess();
    return self.WorkingSet64;
}

var rssBefore = Rss();
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var loading = Stopwatch.StartNew();
var index = PlaceNames.LoadEmbedded();
loading.Stop();
var rssAfter = Rss();
var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

// Points spread over the inhabited latitudes, the same every run.
var random = new Random(24);
var points = Enumerable.Range(0, lookups).Select(_ => (random.NextDouble() * 120 - 55, random.NextDouble() * 360 - 180)).ToArray();
var named = 0;
var looking = Stopwatch.StartNew();
foreach (var (latitude, longitude) in points)
{
    named += index.Nearest(latitude, longitude) is null ? 0 : 1;
}
looking.Stop();

Console.WriteLine($"places:          {index.Count:N0}");
Console.WriteLine($"first load:      {loading.Elapsed.TotalMilliseconds:N0} ms");
Console.WriteLine($"managed heap:    +{(heapAfter - heapBefore) / 1048576.0:N1} MiB");
Console.WriteLine($"process RSS:     +{(rssAfter - rssBefore) / 1048576.0:N1} MiB ({rssBefore / 1048576.0:N1} -> {rssAfter / 1048576.0:N1} MiB)");
Console.WriteLine($"lookups:         {lookups:N0} random points, {named:N0} named, {lookups / looking.Elapsed.TotalSeconds:N0}/s ({looking.Elapsed.TotalMicroseconds / lookups:N1} µs each)");
GC.KeepAlive(index);
