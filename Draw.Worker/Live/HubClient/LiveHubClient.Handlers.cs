using System.Text.Json;

namespace Draw.Worker.Live.HubClient;

public sealed partial class LiveHubClient
{
    /// <summary>
    /// Handles the server's invocations of <paramref name="methodName"/> (case-insensitive). Several handlers may be
    /// registered for one method; they run in registration order. Handlers survive reconnects. Dispose the returned
    /// registration to remove the handler.
    /// </summary>
    public IDisposable On(string methodName, Func<JsonElement[], Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(handler);
        return _handlers.Add(methodName, handler);
    }

    /// <summary>Handles a server invocation without arguments.</summary>
    public IDisposable On(string methodName, Func<Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(methodName, _ => handler());
    }

    /// <summary>Handles a server invocation with one argument, deserialized with the client's serializer options.</summary>
    public IDisposable On<T1>(string methodName, Func<T1, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(methodName, args => handler(Argument<T1>(methodName, args, 0)));
    }

    /// <summary>Handles a server invocation with two arguments.</summary>
    public IDisposable On<T1, T2>(string methodName, Func<T1, T2, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(methodName, args => handler(Argument<T1>(methodName, args, 0), Argument<T2>(methodName, args, 1)));
    }

    /// <summary>Handles a server invocation with three arguments.</summary>
    public IDisposable On<T1, T2, T3>(string methodName, Func<T1, T2, T3, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(
            methodName,
            args => handler(
                Argument<T1>(methodName, args, 0),
                Argument<T2>(methodName, args, 1),
                Argument<T3>(methodName, args, 2)));
    }

    private T Argument<T>(string methodName, JsonElement[] args, int index)
    {
        if (index >= args.Length)
        {
            throw new InvalidDataException(
                $"The hub invoked '{methodName}' with {args.Length} argument(s); the handler expects at least {index + 1}.");
        }

        return typeof(T) == typeof(JsonElement)
            ? (T)(object)args[index]
            : args[index].Deserialize<T>(_options.SerializerOptions)!;
    }
}
