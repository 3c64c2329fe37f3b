using System.Buffers;

namespace Zeusd.Logging;

/// <summary>
/// A log event's state that writes its own message as UTF-8. The daemon's sink (<see cref="LineLogger"/>) then makes
/// no message string: for a line logged on every request (the policy's audit line) the string and its composite
/// formatting were most of the line's cost. Other loggers use the event's formatter as always.
/// </summary>
public interface IUtf8LogMessage
{
    /// <summary>
    /// Writes the message (no newline; line breaks in it are made spaces afterwards). Called later, on the writer's
    /// thread: the state must not change once logged.
    /// </summary>
    void WriteMessage(IBufferWriter<byte> message);
}
