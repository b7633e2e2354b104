using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using DeployOps.Aws.Configuration;

namespace DeployOps.Engine.Tests.Support;

/// <summary>Machine credential sources with chosen answers, recording which were asked.</summary>
internal sealed class StubMachineCredentials : IMachineCredentials
{
    public CredentialProfile? SdkStoreProfile { get; init; }

    public AWSCredentials? Container { get; init; }

    public AWSCredentials? InstanceProfile { get; init; }

    public List<string> Asked { get; } = new();

    public CredentialProfile? FindSdkStoreProfile(string profileName)
    {
        Asked.Add("SdkStore:" + profileName);
        return SdkStoreProfile?.Name == profileName ? SdkStoreProfile : null;
    }

    public IEnumerable<string> SdkStoreProfileNames()
    {
        Asked.Add("SdkStore:*");
        return SdkStoreProfile is null ? [] : [SdkStoreProfile.Name];
    }

    public AWSCredentials? FindContainerCredentials(IAwsEnvironment environment)
    {
        Asked.Add("Container");
        return Container;
    }

    public AWSCredentials? FindInstanceProfileCredentials(IAwsEnvironment environment)
    {
        Asked.Add("InstanceProfile");
        return InstanceProfile;
    }
}
