namespace DeployOps.Operations;

/// <summary>
/// How the engine tells its caller what it is doing. Calls may come from any thread; the cmdlet
/// layer queues them and writes them on the pipeline thread.
/// </summary>
public interface IOperationObserver
{
    void Verbose(string message);

    void Warning(string message);

    void Progress(OperationProgress progress);
}

/// <summary>One progress report of a long operation (a wait, a scan).</summary>
/// <param name="ActivityId">Distinguishes parallel activities (e.g. one per service waited on).</param>
/// <param name="Activity">What is being done, e.g. "Waiting for lightwave-backend-api-dev".</param>
/// <param name="Status">Where it stands, e.g. "IN_PROGRESS: 1 of 2 running, 0 pending".</param>
/// <param name="PercentComplete">0 to 100, or -1 when unknown.</param>
/// <param name="SecondsRemaining">Until the timeout, or -1.</param>
/// <param name="Completed">True for the final report of the activity.</param>
public sealed record OperationProgress(int ActivityId, string Activity, string Status, int PercentComplete, int SecondsRemaining, bool Completed = false);

/// <summary>An observer that ignores everything (for callers that do not listen, such as benchmarks).</summary>
public sealed class NullOperationObserver : IOperationObserver
{
    public static readonly NullOperationObserver Instance = new();

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }

    public void Progress(OperationProgress progress)
    {
    }
}
