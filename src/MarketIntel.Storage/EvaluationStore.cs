using System.Globalization;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Evaluation;
using StackExchange.Redis;

namespace MarketIntel.Storage;

public enum EvaluationStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>Where an evaluation is: its request, status, progress (stage runs done of all) and, when done, the result.</summary>
public sealed record EvaluationSnapshot(
    EvaluationRequest Request,
    EvaluationStatus Status,
    int Completed,
    int Total,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Messages,
    EvaluationResult? Result);

/// <summary>Evaluation runs in Redis: queued on the job stream like jobs, run by a worker, the result stored as JSON.</summary>
public sealed class EvaluationStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public const string QueueField = "evaluation";
    private const string RequestField = "request";
    private const string StatusField = "status";
    private const string CompletedField = "completed";
    private const string TotalField = "total";
    private const string ErrorField = "error";
    private const string StartedField = "started_at";
    private const string FinishedField = "finished_at";
    private const string ResultField = "result";
    private const string AttemptField = "attempt";

    /// <summary>Applies HSET/HINCRBY only while ARGV[1] is still the current attempt: a run that lost its lease (and was
    /// restarted by another worker) can no longer move the progress or write a result.</summary>
    private const string IfAttemptScript = """
        if redis.call('hget', KEYS[1], 'attempt') ~= ARGV[1] then return 0 end
        if ARGV[2] == 'incr' then redis.call('hincrby', KEYS[1], ARGV[3], ARGV[4]) return 1 end
        for i = 3, #ARGV, 2 do redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1]) end
        return 1
        """;
    private const int MaxMessages = 200;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Stores the request and queues it in one transaction.</summary>
    public async Task CreateAsync(EvaluationRequest request)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(RedisKeys.Evaluation(request.Id),
        [
            new(RequestField, PipelineJson.Serialize(request)),
            new(StatusField, EvaluationStatus.Queued.ToString()),
            new(CompletedField, 0),
            new(TotalField, 0),
        ]);
        _ = transaction.SortedSetAddAsync(RedisKeys.EvaluationIndex, request.Id, request.CreatedAt.ToUnixTimeMilliseconds());
        _ = transaction.StreamAddAsync(RedisKeys.JobQueue, QueueField, request.Id);
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Evaluation {request.Id} could not be stored.");
        }
        await Db.PublishAsync(RedisChannel.Literal(RedisKeys.JobQueuedChannel), request.Id);
    }

    public async Task<EvaluationSnapshot?> GetAsync(string id)
    {
        var fields = await Db.HashGetAllAsync(RedisKeys.Evaluation(id));
        if (fields.Length == 0)
        {
            return null;
        }
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        var messages = await Db.ListRangeAsync(RedisKeys.EvaluationProgress(id), 0, 49);
        return new EvaluationSnapshot(
            PipelineJson.Deserialize<EvaluationRequest>(map[RequestField])!,
            Enum.Parse<EvaluationStatus>(map[StatusField]),
            int.Parse(map.GetValueOrDefault(CompletedField, "0"), CultureInfo.InvariantCulture),
            int.Parse(map.GetValueOrDefault(TotalField, "0"), CultureInfo.InvariantCulture),
            map.GetValueOrDefault(ErrorField),
            ParseTime(map.GetValueOrDefault(StartedField)),
            ParseTime(map.GetValueOrDefault(FinishedField)),
            messages.Select(m => m.ToString()).ToList(),
            map.TryGetValue(ResultField, out var result) ? EvaluationFiles.Deserialize(result) : null);
    }

    /// <summary>
    /// Starts (or restarts, after a worker died) the run: progress back to zero of <paramref name="total"/>. Returns the
    /// attempt number that later progress and the result must carry.
    /// </summary>
    public async Task<long> StartAsync(string id, int total)
    {
        var key = RedisKeys.Evaluation(id);
        var attempt = await Db.HashIncrementAsync(key, AttemptField);
        await Db.HashSetAsync(key,
        [
            new(StatusField, EvaluationStatus.Running.ToString()),
            new(CompletedField, 0),
            new(TotalField, total),
            new(StartedField, Now()),
        ]);
        return attempt;
    }

    public async Task ProgressAsync(string id, long attempt, int completed, string? message = null)
    {
        if (await IfAttemptAsync(id, attempt, ["incr", CompletedField, completed]) && message is not null)
        {
            await AddMessageAsync(id, message);
        }
    }

    public async Task CompleteAsync(string id, long attempt, EvaluationResult result)
    {
        if (await IfAttemptAsync(id, attempt,
            [
                "set",
                StatusField, EvaluationStatus.Succeeded.ToString(),
                ResultField, PipelineJson.Serialize(result),
                FinishedField, Now(),
            ]))
        {
            await AddMessageAsync(id, "Evaluation finished.");
        }
    }

    public async Task FailAsync(string id, string error)
    {
        await Db.HashSetAsync(RedisKeys.Evaluation(id),
        [
            new(StatusField, EvaluationStatus.Failed.ToString()),
            new(ErrorField, error),
            new(FinishedField, Now()),
        ]);
        await AddMessageAsync(id, "Evaluation failed: " + error);
    }

    private async Task<bool> IfAttemptAsync(string id, long attempt, RedisValue[] operation)
    {
        var result = await Db.ScriptEvaluateAsync(IfAttemptScript, [RedisKeys.Evaluation(id)], [attempt, .. operation]);
        return (int)result == 1;
    }

    private async Task AddMessageAsync(string id, string message)
    {
        var key = RedisKeys.EvaluationProgress(id);
        await Db.ListLeftPushAsync(key, $"{Now()} {message}");
        await Db.ListTrimAsync(key, 0, MaxMessages - 1);
    }

    private string Now() => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? value) =>
        value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
