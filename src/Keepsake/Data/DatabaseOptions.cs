using System.ComponentModel.DataAnnotations;

namespace Keepsake.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Only <c>sqlite</c> for now.</summary>
    [Required]
    [RegularExpression("^sqlite$", ErrorMessage = "Database:Provider must be 'sqlite'.")]
    public string Provider { get; set; } = "sqlite";

    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/keepsake.db";
}
