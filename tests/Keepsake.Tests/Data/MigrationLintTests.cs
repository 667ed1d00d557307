using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Keepsake.Tests.Data;

/// <summary>
/// The rules of <c>keepsake migrate lint</c>, run on deliberately bad migrations that live only in this test
/// project, through the same engine the verb feeds from the real migrations assemblies.
/// </summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class MigrationLintTests
{
    private static LintReport Lint(Migration migration, string provider = DatabaseOptions.Postgres) =>
        MigrationLint.Check([LintedMigration.Of(provider, "20990101000000_" + migration.GetType().Name, migration)]);

    public static TheoryData<Type, string, string> BadMigrations => new()
    {
        { typeof(DropsAColumn), MigrationLint.BanDropColumn, "drops column Photos.Caption" },
        { typeof(DropsATable), MigrationLint.BanDropTable, "drops table ShareLinks" },
        { typeof(RenamesAColumn), MigrationLint.RenamingColumn, "renames column Albums.Name to Title" },
        { typeof(RenamesATable), MigrationLint.RenamingTable, "renames table Albums to Collections" },
        { typeof(ChangesAColumnType), MigrationLint.ChangingColumnType, "changes the type of column Photos.Width from integer to bigint" },
        { typeof(MakesAColumnNonNullable), MigrationLint.AddingNotNullableField, "makes column Photos.CameraModel non-nullable" },
        { typeof(AddsARequiredColumnWithoutDefault), MigrationLint.AddingRequiredField, "adds non-nullable column Photos.Rating without a default" },
        { typeof(IndexesAnExistingTable), MigrationLint.RequireConcurrentIndexCreation, "creates index IX_Photos_TakenAt on Photos without CONCURRENTLY" },
        { typeof(RunsRawSql), MigrationLint.BanRawSql, "runs raw SQL that cannot be checked: UPDATE \"Photos\" SET \"Caption\" = ''" },
    };

    [Theory]
    [MemberData(nameof(BadMigrations))]
    public void A_migration_the_previous_release_cannot_run_against_fails_naming_the_rule(Type migration, string rule, string what)
    {
        var report = Lint((Migration)Activator.CreateInstance(migration)!);

        Assert.False(report.IsClean);
        var violation = Assert.Single(report.Violations);
        Assert.StartsWith($"postgres/20990101000000_{migration.Name}: {rule}: {what}", violation.ToString(), StringComparison.Ordinal);
        Assert.Empty(report.Allowed);
    }

    [Fact]
    public void Every_rule_has_a_bad_migration_above()
    {
        Assert.Equal(
            MigrationLint.Rules.Order(StringComparer.Ordinal),
            BadMigrations.Select(row => (string)row[1]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_migrations_of_this_build_pass_in_both_sets()
    {
        var migrations = MigrationLint.ReadThisBuild();

        var report = MigrationLint.Check(migrations);

        Assert.True(report.IsClean, string.Join('\n', report.Violations));
        Assert.Contains(migrations, m => m.Provider == DatabaseOptions.Sqlite && m.Id.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Contains(migrations, m => m.Provider == DatabaseOptions.Postgres && m.Id.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.All(migrations, m => Assert.NotEmpty(m.Operations));
    }

    [Fact]
    public void Expand_steps_pass()
    {
        Assert.True(Lint(new ExpandsSafely()).IsClean, string.Join('\n', Lint(new ExpandsSafely()).Violations));
    }

    [Fact]
    public void An_index_on_sqlite_needs_no_concurrently()
    {
        Assert.True(Lint(new IndexesAnExistingTable(), DatabaseOptions.Sqlite).IsClean);
    }

    [Fact]
    public void A_marked_contract_step_is_allowed_and_reported_with_its_reason()
    {
        var report = Lint(new DropsAColumnOnPurpose());

        Assert.True(report.IsClean, string.Join('\n', report.Violations));
        var allowed = Assert.Single(report.Allowed);
        Assert.Equal(
            "postgres/20990101000000_DropsAColumnOnPurpose: ban-drop-column: drops column Photos.Caption " +
            "(allowed: release 0.3 stopped reading Caption; 0.4 is the previous release now)",
            allowed.ToString());
    }

    [Fact]
    public void A_marker_allows_only_the_rule_it_names()
    {
        var report = Lint(new DropsAColumnAndATableMarkedForTheColumn());

        Assert.Equal(MigrationLint.BanDropTable, Assert.Single(report.Violations).Rule);
        Assert.Equal(MigrationLint.BanDropColumn, Assert.Single(report.Allowed).Rule);
    }

    [Fact]
    public void A_marker_without_a_reason_allows_nothing()
    {
        var report = Lint(new DropsAColumnMarkedWithoutReason());

        Assert.Equal([MigrationLint.AllowUnsafeMarker, MigrationLint.BanDropColumn], report.Violations.Select(v => v.Rule));
        Assert.Contains("gives no reason", report.Violations[0].What, StringComparison.Ordinal);
        Assert.Empty(report.Allowed);
    }

    [Fact]
    public void A_marker_naming_no_rule_is_a_violation()
    {
        var report = Lint(new MarkedWithAMisspelledRule());

        var violation = Assert.Single(report.Violations);
        Assert.Equal(MigrationLint.AllowUnsafeMarker, violation.Rule);
        Assert.Contains("'ban-drop-colum'", violation.What, StringComparison.Ordinal);
    }

    private sealed class DropsAColumn : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Caption", table: "Photos");
    }

    private sealed class DropsATable : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "ShareLinks");
    }

    private sealed class RenamesAColumn : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.RenameColumn(name: "Name", table: "Albums", newName: "Title");
    }

    private sealed class RenamesATable : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.RenameTable(name: "Albums", newName: "Collections");
    }

    private sealed class ChangesAColumnType : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AlterColumn<long>(name: "Width", table: "Photos", type: "bigint", nullable: false, oldClrType: typeof(int), oldType: "integer");
    }

    private sealed class MakesAColumnNonNullable : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AlterColumn<string>(name: "CameraModel", table: "Photos", type: "text", nullable: false, defaultValue: "",
                oldClrType: typeof(string), oldType: "text", oldNullable: true);
    }

    private sealed class AddsARequiredColumnWithoutDefault : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<int>(name: "Rating", table: "Photos", type: "integer", nullable: false);
    }

    private sealed class IndexesAnExistingTable : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.CreateIndex(name: "IX_Photos_TakenAt", table: "Photos", column: "TakenAt");
    }

    private sealed class RunsRawSql : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("UPDATE \"Photos\"\n   SET \"Caption\" = ''");
    }

    /// <summary>What an expand step looks like: new nullable or defaulted columns, a concurrent index, a new table with its index.</summary>
    private sealed class ExpandsSafely : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Caption", table: "Photos", type: "text", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Rating", table: "Photos", type: "integer", nullable: false, defaultValue: 0);
            migrationBuilder.AlterColumn<string>(name: "CameraModel", table: "Photos", type: "text", nullable: true,
                oldClrType: typeof(string), oldType: "text");
            migrationBuilder.CreateIndex(name: "IX_Photos_TakenAt", table: "Photos", column: "TakenAt")
                .Annotation("Npgsql:CreatedConcurrently", true);
            migrationBuilder.CreateTable(
                name: "Tags",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_Tags", x => x.Id));
            migrationBuilder.CreateIndex(name: "IX_Tags_Name", table: "Tags", column: "Name", unique: true);
        }
    }

    [AllowUnsafe(MigrationLint.BanDropColumn, "release 0.3 stopped reading Caption; 0.4 is the previous release now")]
    private sealed class DropsAColumnOnPurpose : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Caption", table: "Photos");
    }

    [AllowUnsafe(MigrationLint.BanDropColumn, "release 0.3 stopped reading Caption")]
    private sealed class DropsAColumnAndATableMarkedForTheColumn : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Caption", table: "Photos");
            migrationBuilder.DropTable(name: "ShareLinks");
        }
    }

    [AllowUnsafe(MigrationLint.BanDropColumn, " ")]
    private sealed class DropsAColumnMarkedWithoutReason : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Caption", table: "Photos");
    }

    [AllowUnsafe("ban-drop-colum", "release 0.3 stopped reading Caption")]
    private sealed class MarkedWithAMisspelledRule : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.AddColumn<string>(name: "Caption", table: "Photos", nullable: true);
    }
}
