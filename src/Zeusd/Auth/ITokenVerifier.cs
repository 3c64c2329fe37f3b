namespace Zeusd.Auth;

/// <summary>Verifies the compact JWT of an <c>Authorization: Bearer</c> header.</summary>
public interface ITokenVerifier
{
    TokenVerdict Verify(string token);
}
