using System.Buffers;

namespace Zeusd.Logging;

/// <summary>
/// How the text of a message queued by value (<see cref="LogMessageParts"/>) is made, as UTF-8: one stateless instance
/// per kind of message. The daemon's sink then makes no message string: for a line logged on every request (the
/// policy's audit line) the string and its composite formatting were most of the line's cost.
/// </summary>
public interface IUtf8LogFormat
{
    /// <summary>
    /// Writes the message (no newline; line breaks in it are made spaces afterwards). Called later, on the writer's
    /// thread: the objects in the parts must not change once logged.
    /// </summary>
    void Write(in LogMessageParts parts, IBufferWriter<byte> message);
}
