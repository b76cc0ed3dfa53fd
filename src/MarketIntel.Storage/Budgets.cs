using System.ComponentModel.DataAnnotations;
using System.Globalization;
using StackExchange.Redis;

namespace MarketIntel.Storage;

/// <summary>
/// Spending limits (configuration <c>Budgets</c>), validated on start: a ceiling per job and a daily budget per provider
/// (UTC day). A model call is refused, not made, once either is reached.
/// </summary>
public sealed class BudgetOptions
{
    public const string SectionName = "Budgets";

    /// <summary>US dollars one job may spend on model calls (all stages, attempts, re-asks, fallbacks and shadows).</summary>
    [Range(typeof(decimal), "0.000001", "100000")]
    public decimal PerJobCostUsd { get; init; } = 1.00m;

    /// <summary>US dollars each provider may be paid per UTC day, across all jobs and workers.</summary>
    [Range(typeof(decimal), "0.000001", "10000000")]
    public decimal DailyCostUsdPerProvider { get; init; } = 50.00m;
}

/// <summary>
/// Spend tracking in Redis: a running total per job and per provider per UTC day (which expires two days later). Amounts
/// are stored as floating-point dollars (INCRBYFLOAT), exact enough for a budget.
/// </summary>
public sealed class SpendStore(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>How long a provider's day total is kept after the day starts.</summary>
    public static readonly TimeSpan DayTotalLifetime = TimeSpan.FromDays(2);

    /// <summary>How long a job's total is kept; a job runs for minutes.</summary>
    public static readonly TimeSpan JobTotalLifetime = TimeSpan.FromDays(30);

    private IDatabase Db => redis.GetDatabase();

    public string Today => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task AddAsync(string jobId, string provider, decimal cost)
    {
        if (cost <= 0)
        {
            return;
        }
        var amount = (double)cost;
        var day = RedisKeys.ProviderDailySpend(provider, Today);
        var batch = Db.CreateBatch();
        var tasks = new Task[]
        {
            batch.StringIncrementAsync(RedisKeys.JobSpend(jobId), amount),
            batch.KeyExpireAsync(RedisKeys.JobSpend(jobId), JobTotalLifetime),
            batch.StringIncrementAsync(day, amount),
            batch.KeyExpireAsync(day, DayTotalLifetime),
        };
        batch.Execute();
        await Task.WhenAll(tasks);
    }

    /// <summary>The job's spend and the provider's spend today, read in one round trip (checked before every call).</summary>
    public async Task<(decimal Job, decimal ProviderToday)> SpendAsync(string jobId, string provider)
    {
        var values = await Db.StringGetAsync([RedisKeys.JobSpend(jobId), RedisKeys.ProviderDailySpend(provider, Today)]);
        return (ToDecimal(values[0]), ToDecimal(values[1]));
    }

    public async Task<decimal> JobSpendAsync(string jobId) => ToDecimal(await Db.StringGetAsync(RedisKeys.JobSpend(jobId)));

    public async Task<decimal> ProviderSpendTodayAsync(string provider) =>
        ToDecimal(await Db.StringGetAsync(RedisKeys.ProviderDailySpend(provider, Today)));

    private static decimal ToDecimal(RedisValue value) =>
        value.IsNullOrEmpty ? 0m : Math.Round((decimal)double.Parse(value.ToString(), CultureInfo.InvariantCulture), 8);

    /// <summary>Dollars with at least two decimals and as many more as a tiny amount needs: $1.00, $0.0001, $1.0234.</summary>
    public static string Dollars(decimal amount) => "$" + amount.ToString("0.00######", CultureInfo.InvariantCulture);
}
