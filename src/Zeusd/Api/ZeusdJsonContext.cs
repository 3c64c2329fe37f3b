using System.Text.Json.Serialization;

namespace Zeusd.Api;

/// <summary>Source-generated (reflection-free, trim-safe) serializers for the wire models.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(DiscoveryResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TimeResponse))]
public sealed partial class ZeusdJsonContext : JsonSerializerContext;
