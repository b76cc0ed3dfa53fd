namespace MarketIntel.Api.Http;

internal static class Text
{
    public static string Truncate(string value, int max = 64) => value.Length <= max ? value : value[..max] + "…";
}
