using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Facts;

/// <summary>Reads who the credentials are (runbook 000's prerequisites): "account 123456789012 as arn:..., credentials from ...".</summary>
public sealed class IdentityReader
{
    private readonly AwsFacts _facts;

    internal IdentityReader(AwsFacts facts)
    {
        _facts = facts;
    }

    public Task<Fact<string>> ReadAsync(CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync("the caller's identity", async () =>
        {
            var identity = await _facts.Session.Sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
            return $"account {identity.Account} as {identity.Arn}, credentials from {_facts.Session.CredentialSource}";
        });
}
