using System.Threading.Channels;

namespace Keepsake.Cli;

/// <summary>
/// An import as a pipeline: the folder's photos are streamed in order into a bounded channel of checks that run at once
/// (read and hash into staging, then decode and render, the decodes limited by <c>Photos:DecodeParallelism</c>), and one
/// loop takes the checked photos out in the folder's order, writes their files and commits their rows in batches. A batch
/// is committed when it is full or when the next photo is not checked yet, so no photo waits for a slow one behind it.
/// The channel bounds what is in flight (staged files, rendered previews), so memory does not grow with the folder.
/// Files are written only by the loop, so a photo is whole (files, then its row) or absent: at a stop or an interruption
/// the loop commits the batch in hand and removes what the checks in flight staged.
/// </summary>
internal sealed class ImportPipeline(PhotoImport import, int parallelism)
{
    /// <summary>Most photos whose rows are committed in one transaction.</summary>
    private const int MaxBatch = 32;

    private int Lookahead => (2 * parallelism) + 2;

    public async Task<ImportStop?> RunAsync(
        IEnumerable<ImportEntry> photos, string root, Action<string> started, Action<string, Outcome, string?> finished, CancellationToken cancellationToken)
    {
        var checks = Channel.CreateBounded<(string Relative, Task<CheckedPhoto> Check)>(
            new BoundedChannelOptions(Lookahead) { SingleReader = true, SingleWriter = true });
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var photo in photos)
                {
                    if (stopping.IsCancellationRequested)
                    {
                        break;
                    }
                    var relative = Path.GetRelativePath(root, photo.FullPath);
                    // Written without a token: a check once started is always handed to the loop, which removes what it staged.
                    await checks.Writer.WriteAsync((relative, Task.Run(() => import.CheckAsync(photo.FullPath, relative, stopping.Token))));
                }
                checks.Writer.Complete();
            }
            catch (Exception e)
            {
                checks.Writer.Complete(e);
            }
        }, CancellationToken.None);

        var storing = new Storing(import, finished);
        try
        {
            while (await checks.Reader.WaitToReadAsync(CancellationToken.None))
            {
                if (!checks.Reader.TryRead(out var next))
                {
                    continue;
                }
                if (cancellationToken.IsCancellationRequested)
                {
                    (await next.Check).Dispose();
                    return await storing.StopAsync(ImportStop.Interrupted);
                }
                started(next.Relative);
                using var photo = await next.Check;
                if (cancellationToken.IsCancellationRequested)
                {
                    return await storing.StopAsync(ImportStop.Interrupted);
                }
                if (await storing.AddAsync(photo) is { } stop)
                {
                    return stop;
                }
                var nextIsReady = checks.Reader.TryPeek(out var following) && following.Check.IsCompleted;
                if ((storing.Count >= MaxBatch || !nextIsReady) && await storing.FlushAsync() is { } failed)
                {
                    return failed;
                }
            }
            return await storing.FlushAsync();
        }
        finally
        {
            await stopping.CancelAsync();
            await storing.DisposeAsync();
            // The checks in flight end soon once cancelled; whatever they staged is removed.
            await foreach (var (_, check) in checks.Reader.ReadAllAsync(CancellationToken.None))
            {
                (await check).Dispose();
            }
            await producer;
        }
    }

    /// <summary>The loop's side: the batch in hand, and the outcomes waiting for its commit to be told in order.</summary>
    private sealed class Storing(PhotoImport import, Action<string, Outcome, string?> finished) : IAsyncDisposable
    {
        private readonly List<(string Relative, Outcome Outcome, string? Reason, bool InBatch)> _waiting = [];
        private ImportBatch? _batch;

        public int Count => _batch?.Members.Count ?? 0;

        /// <summary>Adds a checked photo: an outcome to tell, or a photo whose files are written now. Null, or why the import stops.</summary>
        public async Task<ImportStop?> AddAsync(CheckedPhoto photo)
        {
            if (photo.Stop is { } stop)
            {
                return await StopAsync(stop);
            }
            if (photo.Ready is not { } ready)
            {
                _waiting.Add((photo.Relative, photo.Outcome, photo.Reason, false));
                return null;
            }
            _batch ??= import.NewBatch();
            if (await import.AddAsync(_batch, ready, photo.Relative) is { } failed)
            {
                return await StopAsync(failed);
            }
            _waiting.Add((photo.Relative, Outcome.Imported, null, true));
            return null;
        }

        /// <summary>Commits the batch in hand and tells every waiting outcome; null, or why the import stops (at the batch's first photo).</summary>
        public async Task<ImportStop?> FlushAsync()
        {
            if (_batch is { Members.Count: 0 })
            {
                // Its only photo failed before it joined (and removed its own files): nothing to commit.
                await _batch.DisposeAsync();
                _batch = null;
            }
            if (_batch is null)
            {
                TellWaiting(_waiting.Count);
                return null;
            }
            var (stored, stop) = await import.StoreAsync(_batch);
            await _batch.DisposeAsync();
            _batch = null;
            if (stored is null)
            {
                // Only the outcomes before the batch's first photo stand; the rest are left for the next run.
                TellWaiting(_waiting.FindIndex(w => w.InBatch));
                return stop;
            }
            var inBatch = 0;
            for (var i = 0; i < _waiting.Count; i++)
            {
                if (_waiting[i].InBatch && stored[inBatch++].Duplicate)
                {
                    _waiting[i] = _waiting[i] with { Outcome = Outcome.Skipped };
                }
            }
            TellWaiting(_waiting.Count);
            return null;
        }

        /// <summary>Commits what is in hand, then stops with <paramref name="stop"/> (or at the batch's photo that failed to commit).</summary>
        public async Task<ImportStop> StopAsync(ImportStop stop) => await FlushAsync() ?? stop;

        private void TellWaiting(int count)
        {
            foreach (var (relative, outcome, reason, _) in _waiting.Take(count))
            {
                finished(relative, outcome, reason);
            }
            _waiting.Clear();
        }

        public async ValueTask DisposeAsync()
        {
            if (_batch is not null)
            {
                await _batch.Ingestor.DeleteWrittenAsync(_batch.Prepared);
                await _batch.DisposeAsync();
            }
        }
    }
}
