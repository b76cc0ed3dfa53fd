using System.Globalization;
using MarketIntel.Pipeline;
using StackExchange.Redis;

namespace MarketIntel.Storage;

/// <summary>Jobs, their stage states, output versions and progress events in Redis.</summary>
public sealed class JobStore(IConnectionMultiplexer redis, TimeProvider time)
{
    private const string RecordField = "record";
    private const string StatusField = "status";
    private const string ErrorField = "error";
    private const string StartedField = "started_at";
    private const string FinishedField = "finished_at";
    private const string CancelField = "cancel";

    /// <summary>Progress events kept per job; enough for every stage transition of a full job many times over.</summary>
    private const int EventsPerJob = 2000;

    private IDatabase Db => redis.GetDatabase();

    public TimeProvider Time => time;

    /// <summary>Stores the job and queues it, atomically, so a job is never stored without being queued.</summary>
    public async Task CreateAsync(JobRecord record)
    {
        record = record with { TraceParent = record.TraceParent ?? System.Diagnostics.Activity.Current?.Id };
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(RedisKeys.Job(record.Id),
        [
            new(RecordField, PipelineJson.Serialize(record)),
            new(StatusField, JobStatus.Queued.ToString()),
        ]);
        _ = transaction.HashSetAsync(RedisKeys.JobStages(record.Id), record.Stages
            .Select(n => new HashEntry(n, PipelineJson.Serialize(new StageState { Stage = n, Name = StageName(n) })))
            .ToArray());
        _ = transaction.SortedSetAddAsync(RedisKeys.JobIndex, record.Id, record.CreatedAt.ToUnixTimeMilliseconds());
        _ = transaction.StreamAddAsync(RedisKeys.JobQueue, "job", record.Id);
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Job {record.Id} could not be stored.");
        }
        await Db.PublishAsync(RedisChannel.Literal(RedisKeys.JobQueuedChannel), record.Id);
        await AppendEventAsync(record.Id, new JobEvent { Type = "job", Status = JobStatus.Queued.ToString(), At = time.GetUtcNow() });
    }

    public async Task<JobSnapshot?> GetAsync(string jobId)
    {
        var fields = await Db.HashGetAllAsync(RedisKeys.Job(jobId));
        if (fields.Length == 0)
        {
            return null;
        }
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        var record = PipelineJson.Deserialize<JobRecord>(map[RecordField])!;
        var stages = await GetStagesAsync(jobId);
        return new JobSnapshot(
            record,
            Enum.Parse<JobStatus>(map[StatusField]),
            map.GetValueOrDefault(ErrorField),
            ParseTime(map.GetValueOrDefault(StartedField)),
            ParseTime(map.GetValueOrDefault(FinishedField)),
            map.ContainsKey(CancelField),
            stages);
    }

    public async Task<IReadOnlyDictionary<int, StageState>> GetStagesAsync(string jobId)
    {
        var entries = await Db.HashGetAllAsync(RedisKeys.JobStages(jobId));
        return entries.ToDictionary(e => (int)e.Name, e => PipelineJson.Deserialize<StageState>(e.Value.ToString())!);
    }

    public async Task SetStageAsync(string jobId, StageState state)
    {
        await WriteWithEventAsync(
            db => db.HashSetAsync(RedisKeys.JobStages(jobId), state.Stage, PipelineJson.Serialize(state)), jobId, StageEvent(state));
    }

    public async Task SetStatusAsync(string jobId, JobStatus status, string? error = null)
    {
        var now = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var entries = new List<HashEntry> { new(StatusField, status.ToString()) };
        if (status == JobStatus.Running)
        {
            entries.Add(new(StartedField, now));
        }
        if (status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled)
        {
            entries.Add(new(FinishedField, now));
        }
        if (error is not null)
        {
            entries.Add(new(ErrorField, error));
        }
        await WriteWithEventAsync(db => db.HashSetAsync(RedisKeys.Job(jobId), entries.ToArray()), jobId,
            new JobEvent { Type = "job", Status = status.ToString(), Message = error, At = time.GetUtcNow() });
    }

    /// <summary>Marks the job for cancellation; a worker running it stops at the next stage boundary or call.</summary>
    public Task<bool> RequestCancelAsync(string jobId) => Db.HashSetAsync(RedisKeys.Job(jobId), CancelField, "1");

    /// <summary>
    /// Queues a finished job again (a re-run of its stale stages): status back to Queued, the previous run's finish
    /// time, error and cancel request cleared, and the job id added to the work stream like a new job.
    /// </summary>
    public async Task RequeueAsync(string jobId)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(RedisKeys.Job(jobId), StatusField, JobStatus.Queued.ToString());
        _ = transaction.HashDeleteAsync(RedisKeys.Job(jobId), [FinishedField, ErrorField, CancelField]);
        _ = transaction.StreamAddAsync(RedisKeys.JobQueue, "job", jobId);
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Job {jobId} could not be queued again.");
        }
        await Db.PublishAsync(RedisChannel.Literal(RedisKeys.JobQueuedChannel), jobId);
        await AppendEventAsync(jobId, new JobEvent { Type = "job", Status = JobStatus.Queued.ToString(), Message = "Re-run queued.", At = time.GetUtcNow() });
    }

    /// <summary>Writes stage states without an event each (the caller records one event for the whole change).</summary>
    public async Task PutStagesAsync(string jobId, IEnumerable<StageState> states)
    {
        var entries = states.Select(s => new HashEntry(s.Stage, PipelineJson.Serialize(s))).ToArray();
        if (entries.Length > 0)
        {
            await Db.HashSetAsync(RedisKeys.JobStages(jobId), entries);
        }
    }

    /// <summary>Live progress lives beside the job for a day: long enough to watch it, short enough to need no cleanup.</summary>
    private static readonly TimeSpan ProgressLifetime = TimeSpan.FromDays(1);

    /// <summary>Overwrites a stage's live progress (and, for a Markdown stage, its text so far) in one round trip.</summary>
    public async Task SetProgressAsync(string jobId, StageProgress progress, string? draft = null)
    {
        var batch = Db.CreateBatch();
        var key = RedisKeys.JobProgress(jobId);
        var writes = new List<Task>
        {
            batch.HashSetAsync(key, progress.Stage, PipelineJson.Serialize(progress)),
            batch.KeyExpireAsync(key, ProgressLifetime),
        };
        if (draft is not null)
        {
            writes.Add(batch.StringSetAsync(RedisKeys.StageDraft(jobId, progress.Stage), draft, ProgressLifetime));
        }
        batch.Execute();
        await Task.WhenAll(writes);
    }

    /// <summary>Live progress of the stages that have streamed in this job, by stage number.</summary>
    public async Task<IReadOnlyDictionary<int, StageProgress>> GetProgressAsync(string jobId) =>
        (await Db.HashGetAllAsync(RedisKeys.JobProgress(jobId)))
            .ToDictionary(e => (int)e.Name, e => PipelineJson.Deserialize<StageProgress>(e.Value.ToString())!);

    /// <summary>The text a Markdown stage has streamed so far, or null.</summary>
    public async Task<string?> GetDraftAsync(string jobId, int stage) =>
        await Db.StringGetAsync(RedisKeys.StageDraft(jobId, stage)) is { IsNull: false } value ? value.ToString() : null;

    public async Task<bool> IsCancelRequestedAsync(string jobId) => await Db.HashExistsAsync(RedisKeys.Job(jobId), CancelField);

    /// <summary>Adds a version of a stage output and returns its version number (1 = the model's original).</summary>
    public async Task<int> AppendOutputAsync(string jobId, int stage, Func<int, StageOutputVersion> create)
    {
        var key = RedisKeys.StageOutput(jobId, stage);
        var version = (int)await Db.ListLengthAsync(key) + 1;
        var length = await Db.ListRightPushAsync(key, PipelineJson.Serialize(create(version)));
        return (int)length;
    }

    /// <summary>
    /// Stores a stage's new output version and its final state in one MULTI/EXEC transaction, so a worker killed between
    /// the two writes cannot leave an output behind a stage that still looks unfinished (which would be run again and
    /// stored twice). Returns the version number.
    /// </summary>
    /// <param name="leaseOwner">When given, the write happens only while this worker still holds the job's lease: a run
    /// that lost its lease (Redis restarted, the lease expired, another worker took the job) must not store a second
    /// output beside the new run's. Throws <see cref="JobLeaseLostException"/> then.</param>
    public async Task<int> CompleteStageAsync(string jobId, StageState state, Func<int, StageOutputVersion> create, string? leaseOwner = null)
    {
        var key = RedisKeys.StageOutput(jobId, state.Stage);
        var version = (int)await Db.ListLengthAsync(key) + 1;
        var transaction = Db.CreateTransaction();
        if (leaseOwner is not null)
        {
            transaction.AddCondition(Condition.StringEqual(RedisKeys.JobLease(jobId), leaseOwner));
        }
        var push = transaction.ListRightPushAsync(key, PipelineJson.Serialize(create(version)));
        _ = transaction.HashSetAsync(RedisKeys.JobStages(jobId), state.Stage, PipelineJson.Serialize(state));
        _ = AppendEventAsync(transaction, jobId, StageEvent(state));
        if (!await transaction.ExecuteAsync())
        {
            throw leaseOwner is null
                ? new InvalidOperationException($"Stage {state.Stage} of job {jobId} could not be stored.")
                : new JobLeaseLostException($"Stage {state.Stage} of job {jobId} was not stored: this worker no longer holds the job's lease.");
        }
        return (int)await push;
    }

    public Task<StageOutputVersion?> GetLatestOutputAsync(string jobId, int stage) => GetOutputAsync(jobId, stage, -1);

    public Task<StageOutputVersion?> GetOriginalOutputAsync(string jobId, int stage) => GetOutputAsync(jobId, stage, 0);

    /// <summary>Version <paramref name="version"/> (1-based) of a stage output, or null when there is no such version.</summary>
    public Task<StageOutputVersion?> GetOutputVersionAsync(string jobId, int stage, int version) =>
        version < 1 ? Task.FromResult<StageOutputVersion?>(null) : GetOutputAsync(jobId, stage, version - 1);

    /// <summary>Every version of a stage output, oldest (the model's original) first.</summary>
    public async Task<IReadOnlyList<StageOutputVersion>> ListOutputVersionsAsync(string jobId, int stage) =>
        (await Db.ListRangeAsync(RedisKeys.StageOutput(jobId, stage)))
            .Select(v => PipelineJson.Deserialize<StageOutputVersion>(v.ToString())!)
            .ToList();

    public async Task<int> CountOutputVersionsAsync(string jobId, int stage) =>
        (int)await Db.ListLengthAsync(RedisKeys.StageOutput(jobId, stage));

    private async Task<StageOutputVersion?> GetOutputAsync(string jobId, int stage, long index)
    {
        var value = await Db.ListGetByIndexAsync(RedisKeys.StageOutput(jobId, stage), index);
        return value.IsNull ? null : PipelineJson.Deserialize<StageOutputVersion>(value.ToString());
    }

    public async Task AppendEventAsync(string jobId, JobEvent jobEvent) => await AppendEventAsync(Db, jobId, jobEvent);

    private static Task<RedisValue> AppendEventAsync(IDatabaseAsync target, string jobId, JobEvent jobEvent) =>
        target.StreamAddAsync(RedisKeys.JobEvents(jobId), "event", PipelineJson.Serialize(jobEvent),
            maxLength: EventsPerJob, useApproximateMaxLength: true);

    /// <summary>A write and its event pipelined in one round trip, in that order: status and stage updates lie on every
    /// stage's critical path.</summary>
    private async Task WriteWithEventAsync(Func<IDatabaseAsync, Task> write, string jobId, JobEvent jobEvent)
    {
        var batch = Db.CreateBatch();
        var written = write(batch);
        var appended = AppendEventAsync(batch, jobId, jobEvent);
        batch.Execute();
        await Task.WhenAll(written, appended);
    }

    private JobEvent StageEvent(StageState state) => new()
    {
        Type = "stage",
        Stage = state.Stage,
        Status = state.Status.ToString(),
        Model = state.Model,
        Message = state.Error,
        At = time.GetUtcNow(),
    };

    /// <summary>Events after <paramref name="afterId"/> (exclusive); "0-0" reads from the start.</summary>
    public async Task<IReadOnlyList<(string Id, JobEvent Event)>> ReadEventsAsync(string jobId, string afterId, int count = 200)
    {
        var entries = await Db.StreamRangeAsync(RedisKeys.JobEvents(jobId), minId: "(" + afterId, count: count);
        return entries
            .Select(e => (e.Id.ToString(), PipelineJson.Deserialize<JobEvent>(e["event"].ToString())!))
            .ToList();
    }

    public async Task<IReadOnlyList<string>> ListRecentJobIdsAsync(int count) =>
        (await Db.SortedSetRangeByRankAsync(RedisKeys.JobIndex, 0, count - 1, Order.Descending))
            .Select(v => v.ToString())
            .ToList();

    private static DateTimeOffset? ParseTime(string? value) =>
        value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private static string StageName(int stage) => MarketIntel.Pipeline.Stages.StageCatalog.Get(stage).Name;
}

/// <summary>A run of a job found that it no longer holds the job's lease; another run owns the job now.</summary>
public sealed class JobLeaseLostException(string message) : Exception(message);
