using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Keepsake.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<KeepsakeDbContext>
{
    public KeepsakeDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<KeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(options, "Data Source=design-time.db");
        return new KeepsakeDbContext(options.Options);
    }
}
