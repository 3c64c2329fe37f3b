using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Zeusd.Tests.Auth;

/// <summary>Builds compact JWTs from arbitrary header and payload JSON, for tokens zeusd itself would never issue.</summary>
public static class TestJwt
{
    public const string Hs256Header = """{"typ":"JWT","alg":"HS256"}""";

    /// <summary>32 bytes that are not the daemon's key.</summary>
    public static readonly byte[] OtherKey = Encoding.ASCII.GetBytes("a-different-key-of-32-bytes-len!");

    public static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary><c>header.payload.signature</c> with an HMAC over the first two parts (SHA-256 unless told).</summary>
    public static string Sign(string headerJson, string payloadJson, byte[] key, HashAlgorithmName? hash = null)
    {
        string input = Encode(headerJson) + "." + Encode(payloadJson);
        byte[] data = Encoding.ASCII.GetBytes(input);
        byte[] mac = (hash ?? HashAlgorithmName.SHA256).Name switch
        {
            "SHA384" => HMACSHA384.HashData(key, data),
            "SHA512" => HMACSHA512.HashData(key, data),
            _ => HMACSHA256.HashData(key, data),
        };
        return input + "." + Base64Url.EncodeToString(mac);
    }

    public static string Claims(string sub = "alice", string scopes = """["gpu-read"]""", long? exp = null, string extra = "")
    {
        var json = new StringBuilder($$"""{"sub":"{{sub}}","scopes":{{scopes}}""");
        if (exp is { } e)
        {
            json.Append($",\"exp\":{e}");
        }
        return json.Append(extra).Append('}').ToString();
    }
}
