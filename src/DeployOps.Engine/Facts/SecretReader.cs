using System;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.SecretsManager;

namespace DeployOps.Facts;

/// <summary>
/// Reads Secrets Manager secrets without keeping their values: the caller's reader takes what it needs from the secret
/// string inside the call (a database's host and port) and the value goes out of scope there. The value is also handed
/// to the run's redactor, so if it ever reached a message it would be masked.
/// </summary>
public sealed class SecretReader
{
    private readonly AwsFacts _facts;

    internal SecretReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>What <paramref name="take"/> keeps of secret <paramref name="secretId"/>'s string (a name or an ARN); absent when the secret does not exist.</summary>
    public Task<Fact<T>> TakeAsync<T>(string secretId, Func<string?, T> take, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"secret {secretId}", () => _facts.Session.Client<SecretsManagerClient>().ReadSecretStringAsync(secretId, value =>
        {
            _facts.Redactor.AddKnownValues(new[] { value });
            return take(value);
        }, cancellationToken));
}
