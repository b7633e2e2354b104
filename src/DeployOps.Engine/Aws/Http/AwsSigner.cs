using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using DeployOps.Aws.Configuration;

namespace DeployOps.Aws.Http;

/// <summary>Signs requests with SigV4 through AWSSDK.Core's public signer.</summary>
internal sealed class AwsSigner
{
    private readonly ResolvedCredentials _credentials;
    private readonly string _region;

    public AwsSigner(ResolvedCredentials credentials, string region)
    {
        _credentials = credentials;
        _region = region;
    }

    /// <summary>
    /// The headers to send: <paramref name="headers"/> plus Authorization, X-Amz-Date, X-Amz-Content-SHA256 and,
    /// for temporary credentials, X-Amz-Security-Token. <paramref name="signedAt"/> pins the clock for tests.
    /// </summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> SignAsync(
        AwsHttpRequest request,
        IReadOnlyDictionary<string, string> headers,
        CancellationToken cancellationToken,
        DateTime? signedAt = null)
    {
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = request.Endpoint, Content = request.Body };
        foreach (var header in headers)
        {
            signing.Headers[header.Key] = header.Value;
        }

        var parameters = new AWSSigV4Parameters
        {
            Credentials = _credentials.Credentials,
            Region = RegionEndpoint.GetBySystemName(AwsEndpointResolver.SigningRegion(request.Service, _region)),
            Service = request.Service.SigningName,
            SignPayload = true, // false would send UNSIGNED-PAYLOAD, which only S3 accepts
            SignedAt = signedAt,
        };

        AWSSigningResult signed;
        try
        {
            signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException)
        {
            // Refreshing credentials (role_arn, SSO, container, instance profile) are fetched here.
            throw new AwsConfigurationException(
                AwsConfigurationProblem.CredentialsUnavailable,
                $"Could not get AWS credentials from {_credentials.Source}: {ex.Message}",
                ex);
        }

        var all = new List<KeyValuePair<string, string>>(headers);
        all.AddRange(signed.Headers);
        return all;
    }
}
