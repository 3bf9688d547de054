using System.Buffers;
using System.Text.Json;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// Reads and writes the JSON encoding of the SignalR hub protocol (version 1). Every written record ends with 0x1E;
/// parsed records are given without it.
/// </summary>
internal static class JsonHubProtocol
{
    public const string ProtocolName = "json";
    public const int ProtocolVersion = 1;

    private const int InvocationType = 1;
    private const int StreamItemType = 2;
    private const int CompletionType = 3;
    private const int CancelInvocationType = 5;
    private const int PingType = 6;
    private const int CloseType = 7;

    /// <summary>The handshake request: <c>{"protocol":"json","version":1}</c> + 0x1E.</summary>
    public static ReadOnlyMemory<byte> HandshakeRequest { get; } = Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("protocol", ProtocolName);
        writer.WriteNumber("version", ProtocolVersion);
        writer.WriteEndObject();
    });

    /// <summary>A Ping message.</summary>
    public static ReadOnlyMemory<byte> Ping { get; } = Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("type", PingType);
        writer.WriteEndObject();
    });

    /// <summary>An Invocation; without <paramref name="invocationId"/> it is non-blocking (no Completion is sent back).</summary>
    public static ReadOnlyMemory<byte> WriteInvocation(
        string? invocationId, string target, IReadOnlyList<object?> arguments, JsonSerializerOptions serializerOptions) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", InvocationType);
            if (invocationId is not null)
            {
                writer.WriteString("invocationId", invocationId);
            }

            writer.WriteString("target", target);
            writer.WriteStartArray("arguments");
            foreach (var argument in arguments)
            {
                if (argument is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(writer, argument, argument.GetType(), serializerOptions);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>A Completion answering a server-to-client invocation that carried an invocation id.</summary>
    public static ReadOnlyMemory<byte> WriteCompletion(string invocationId, string? error) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("type", CompletionType);
        writer.WriteString("invocationId", invocationId);
        if (error is not null)
        {
            writer.WriteString("error", error);
        }
        else
        {
            writer.WriteNull("result");
        }

        writer.WriteEndObject();
    });

    /// <summary>A CancelInvocation for one of our pending invocations.</summary>
    public static ReadOnlyMemory<byte> WriteCancelInvocation(string invocationId) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("type", CancelInvocationType);
        writer.WriteString("invocationId", invocationId);
        writer.WriteEndObject();
    });

    /// <summary>Parses the handshake response; returns the server's error, or null when the handshake succeeded.</summary>
    /// <exception cref="InvalidDataException">The record is not a handshake response.</exception>
    public static string? ParseHandshakeResponse(ReadOnlyMemory<byte> record)
    {
        using var document = ParseDocument(record);
        var root = document.RootElement;
        if (root.TryGetProperty("type", out _))
        {
            throw new InvalidDataException("Expected a handshake response but received a hub message.");
        }

        return root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
            ? error.GetString()
            : null;
    }

    /// <summary>Parses one hub message. Payload values are cloned, so they outlive <paramref name="record"/>.</summary>
    /// <exception cref="InvalidDataException">The record is not valid JSON or misses a required field.</exception>
    public static HubMessage Parse(ReadOnlyMemory<byte> record)
    {
        using var document = ParseDocument(record);
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var typeElement) || !typeElement.TryGetInt32(out var type))
        {
            throw new InvalidDataException("A hub message has no numeric 'type' property.");
        }

        return type switch
        {
            InvocationType => ParseInvocation(root, record.Length),
            CompletionType => ParseCompletion(root),
            PingType => PingMessage.Instance,
            CloseType => new CloseMessage(
                OptionalString(root, "error"),
                root.TryGetProperty("allowReconnect", out var allow) && allow.ValueKind == JsonValueKind.True),
            StreamItemType => new IgnoredMessage(type),
            _ => new IgnoredMessage(type),
        };
    }

    private static InvocationMessage ParseInvocation(JsonElement root, int size)
    {
        var target = OptionalString(root, "target")
            ?? throw new InvalidDataException("An Invocation message has no 'target'.");
        JsonElement[] arguments = [];
        if (root.TryGetProperty("arguments", out var argumentsElement))
        {
            if (argumentsElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("The 'arguments' of an Invocation message is not an array.");
            }

            arguments = new JsonElement[argumentsElement.GetArrayLength()];
            var i = 0;
            foreach (var argument in argumentsElement.EnumerateArray())
            {
                arguments[i++] = argument.Clone();
            }
        }

        return new InvocationMessage(OptionalString(root, "invocationId"), target, arguments, size);
    }

    private static CompletionMessage ParseCompletion(JsonElement root)
    {
        var invocationId = OptionalString(root, "invocationId")
            ?? throw new InvalidDataException("A Completion message has no 'invocationId'.");
        var error = OptionalString(root, "error");
        JsonElement? result = error is null && root.TryGetProperty("result", out var resultElement)
            ? resultElement.Clone()
            : null;
        return new CompletionMessage(invocationId, result, error);
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonDocument ParseDocument(ReadOnlyMemory<byte> record)
    {
        try
        {
            var document = JsonDocument.Parse(record);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new InvalidDataException("A hub protocol record is not a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("A hub protocol record is not valid JSON.", ex);
        }
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        buffer.GetSpan(1)[0] = RecordBuffer.Separator;
        buffer.Advance(1);
        return buffer.WrittenMemory;
    }
}
