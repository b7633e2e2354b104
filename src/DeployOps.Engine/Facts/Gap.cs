namespace DeployOps.Facts;

/// <summary>
/// What could not be read about one item, and why: "Not read: target health of lightwave-dev-backend-tg
/// (ThrottlingException after 3 attempts)". A report with a gap never claims Healthy: it says its verdict is incomplete.
/// </summary>
/// <param name="What">The fact that is missing, e.g. "target health of lightwave-dev-backend-tg".</param>
/// <param name="Why">Why, e.g. "ThrottlingException after 3 attempts".</param>
public sealed record Gap(string What, string Why)
{
    public override string ToString() => $"Not read: {What} ({Why})";
}
