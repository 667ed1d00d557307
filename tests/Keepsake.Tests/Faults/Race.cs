using System.Net;

namespace Keepsake.Tests.Faults;

/// <summary>Requests sent at the same moment, round after round.</summary>
public static class Race
{
    /// <summary>Runs rounds 0 to <paramref name="rounds"/> - 1 in <paramref name="lanes"/> lanes side by side: lane n runs
    /// rounds n, n + lanes, … one after the other, so a lane can keep albums of its own (by round % lanes).</summary>
    public static Task RoundsAsync(int rounds, int lanes, Func<int, Task> round) =>
        Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(async () =>
        {
            for (var n = lane; n < rounds; n += lanes)
            {
                await round(n);
            }
        })));

    /// <summary>Sends both requests behind one gate, so neither has a head start, and records each answer.</summary>
    public static async Task RunAsync(
        Answers firstAnswers, Func<Task<HttpResponseMessage>> first, Answers secondAnswers, Func<Task<HttpResponseMessage>> second)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var one = Task.Run(async () =>
        {
            await gate.Task;
            return await first();
        });
        var two = Task.Run(async () =>
        {
            await gate.Task;
            return await second();
        });
        gate.SetResult();
        await firstAnswers.RecordAsync(await one);
        await secondAnswers.RecordAsync(await two);
    }
}

/// <summary>
/// The answers to one kind of request over the rounds of a race. An answer is allowed when its status is one of
/// <paramref name="allowed"/> and it says what happened: a success other than 204 carries its resource, an error is a
/// problem (RFC 7807) with a title a person reads.
/// </summary>
public sealed class Answers(string request, params HttpStatusCode[] allowed)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, int> _counts = [];
    private readonly List<string> _unexpected = [];

    public async Task RecordAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" && body.Contains("\"title\"", StringComparison.Ordinal);
        var isEmpty = body.Length == 0 || body == "null";
        var unexpected = !allowed.Contains(response.StatusCode) || (status >= 400 && !isProblem) || (status is >= 200 and < 300 and not 204 && isEmpty);
        lock (_lock)
        {
            _counts[status] = _counts.GetValueOrDefault(status) + 1;
            if (unexpected)
            {
                _unexpected.Add($"{status}: {body}");
            }
        }
    }

    /// <summary>The counts by status, e.g. <c>add photo: 200×150 404×50</c>.</summary>
    public override string ToString()
    {
        lock (_lock)
        {
            return $"{request}: " + string.Join(" ", _counts.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"));
        }
    }

    public void AssertAllAllowed()
    {
        var counts = ToString();
        lock (_lock)
        {
            Assert.True(_unexpected.Count == 0, $"{counts}; not allowed: {_unexpected.Count}, the first: {string.Join("\n", _unexpected.Take(3))}");
        }
    }
}
