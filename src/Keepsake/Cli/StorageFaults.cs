using System.Data.Common;
using Keepsake.Storage;

namespace Keepsake.Cli;

/// <summary>A fault of Keepsake's own storage as a person at a shell reads it: what is wrong, and where, in one line.</summary>
internal static class StorageFaults
{
    public static string What(StorageFaultKind kind) => kind switch
    {
        StorageFaultKind.NoSpace => "no space left on the disk",
        StorageFaultKind.ReadOnly => "the storage is read-only",
        _ => "permission denied",
    };

    /// <summary>
    /// The words of the failure that say where, from the outside in: a file-system error names its path (.NET puts it in
    /// the message); a database error is the database's.
    /// </summary>
    public static string Where(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case IOException or UnauthorizedAccessException:
                    return e.Message;
                case DbException:
                    return "the database: " + e.Message;
            }
        }
        return exception.Message;
    }
}
