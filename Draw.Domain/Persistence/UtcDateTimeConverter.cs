using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Draw.Domain.Persistence;

/// <summary>Stores DateTime as UTC and reads it back marked as UTC, on every provider.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
