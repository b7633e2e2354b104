namespace DeployOps.Aws.Configuration;

/// <summary>
/// Finds the region: -Region (or what filled it, <see cref="AwsSessionOptions.RegionSource"/>); the shell default (AWS.Tools'
/// Set-DefaultAWSRegion); AWS_REGION; AWS_DEFAULT_REGION; the <c>region</c> of the named profile, else of AWS_PROFILE, else
/// of <c>default</c>. Every value is checked for shape; the source goes with it, so messages name where a bad value came from.
/// </summary>
internal static class AwsRegionResolver
{
    public static ResolvedRegion Resolve(AwsSessionOptions options, IAwsEnvironment environment, AwsProfileStore profiles)
    {
        var found = Find(options.Region, options.RegionSource ?? "-Region")
                    ?? Find(options.ShellDefaultRegion, "$StoredAWSRegion")
                    ?? Find(environment.GetVariable("AWS_REGION"), "AWS_REGION")
                    ?? Find(environment.GetVariable("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION")
                    ?? FromProfile(options, environment, profiles);
        if (found is null)
        {
            throw new AwsConfigurationException(
                AwsConfigurationProblem.NoRegion,
                "No AWS region was found. Pass -Region (for example -Region us-east-1), run Set-DefaultAWSRegion, "
                + "set AWS_REGION or AWS_DEFAULT_REGION, or add 'region = us-east-1' to your profile in "
                + (profiles.ConfigFile ?? "the AWS config file") + ".");
        }

        if (!ResolvedRegion.IsWellFormed(found.Name))
        {
            throw new AwsConfigurationException(
                AwsConfigurationProblem.InvalidRegion,
                $"{found} is not an AWS region name. Expected a name like us-east-1 or eu-west-2.",
                value: found.Name);
        }

        return found;
    }

    private static ResolvedRegion? Find(string? value, string source) =>
        string.IsNullOrWhiteSpace(value) ? null : new ResolvedRegion(value!.Trim(), source);

    private static ResolvedRegion? FromProfile(AwsSessionOptions options, IAwsEnvironment environment, AwsProfileStore profiles)
    {
        var name = string.IsNullOrEmpty(options.ProfileName)
            ? environment.GetVariable("AWS_PROFILE") ?? AwsCredentialResolver.DefaultProfileName
            : options.ProfileName!;
        var region = profiles.Find(name)?.Region?.SystemName;
        return Find(region, ResolvedCredentials.ProfileSource(name));
    }
}
