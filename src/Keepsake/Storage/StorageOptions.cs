using System.ComponentModel.DataAnnotations;

namespace Keepsake.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Only <c>filesystem</c> for now.</summary>
    [Required]
    [RegularExpression("^filesystem$", ErrorMessage = "Storage:Provider must be 'filesystem'.")]
    public string Provider { get; set; } = "filesystem";

    /// <summary>Folder that holds every blob; relative paths are resolved from the working directory.</summary>
    [Required]
    public string Path { get; set; } = "data";
}
