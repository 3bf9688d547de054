using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>Provider annotations that hand-written migrations need; each provider ignores the other's.</summary>
internal static class MigrationExtensions
{
    public static OperationBuilder<T> AutoIncrement<T>(this OperationBuilder<T> column)
        where T : Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation =>
        column
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
