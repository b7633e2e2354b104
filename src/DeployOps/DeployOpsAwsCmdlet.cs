using System;
using System.Collections.Generic;
using System.Management.Automation;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Commands.Completion;
using DeployOps.Facts;

namespace DeployOps.Commands;

/// <summary>
/// The base of every cmdlet that calls AWS: owns the AWS common parameters (-Region, -ProfileName, -ProfileLocation,
/// -Credential, -EndpointUrl) and turns them, plus AWS.Tools' shell defaults, into an <see cref="AwsSession"/>.
/// <para>
/// One session per distinct (region, profile, endpoint) per invocation: -Region, -ProfileName and -EndpointUrl also
/// bind from the pipeline (DeployOps' outputs carry them), so records may name different ones. When no pipeline input
/// is expected the session is created in BeginProcessing, so "no credentials" and "no region" stop the command before
/// any work, with a message saying how to provide them. Sessions are disposed when the command ends.
/// </para>
/// </summary>
public abstract class DeployOpsAwsCmdlet : DeployOpsCmdlet
{
    private readonly Dictionary<(string? Region, string? Profile, string? Endpoint), AwsSession> _sessions = new();
    private readonly Dictionary<AwsSession, AwsFacts> _facts = new();

    /// <summary>-Region: the AWS region, e.g. us-east-1.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>-ProfileName: a named profile from the shared credentials/config files (or the SDK store on Windows).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AWSProfileName", "StoredCredentials")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? ProfileName { get; set; }

    /// <summary>-ProfileLocation: the shared credentials file to read profiles from; relative to the current location.</summary>
    [Parameter]
    [Alias("AWSProfilesLocation", "ProfilesLocation")]
    public string? ProfileLocation { get; set; }

    /// <summary>-Credential: explicit AWS credentials, used before anything else.</summary>
    [Parameter]
    public AWSCredentials? Credential { get; set; }

    /// <summary>-EndpointUrl: one endpoint for every AWS service (a sandbox, a proxy).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? EndpointUrl { get; set; }

    /// <summary>
    /// The session for the current parameter values (this record's, with pipeline input), created on first use and
    /// reused for the rest of the invocation. A configuration problem is a terminating error.
    /// </summary>
    protected AwsSession Session
    {
        get
        {
            // Keyed on what can change from record to record; everything else is fixed for the invocation, so the
            // options (shell defaults, the environment) are only built for a session not made yet.
            var key = (AwsSessionOptionsReader.NullIfBlank(Region), AwsSessionOptionsReader.NullIfBlank(ProfileName), AwsSessionOptionsReader.NullIfBlank(EndpointUrl));
            if (!_sessions.TryGetValue(key, out var session))
            {
                session = CreateSession(SessionOptions());
                _sessions.Add(key, session);
            }

            return session;
        }
    }

    /// <summary>The fact readers over <see cref="Session"/>, one set per session so their caches serve the whole invocation.</summary>
    protected AwsFacts Facts
    {
        get
        {
            var session = Session;
            if (!_facts.TryGetValue(session, out var facts))
            {
                facts = new AwsFacts(session, Observer);
                _facts.Add(session, facts);
            }

            return facts;
        }
    }

    /// <summary>Resolves the session now unless pipeline input may still change -Region, -ProfileName or -EndpointUrl.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (!MyInvocation.ExpectingInput)
        {
            _ = Session;
        }
    }

    /// <summary>
    /// Lets a cmdlet fill options that were not given from elsewhere (Get-DeploymentHealth -Environment); explicit
    /// parameters must win. The default returns <paramref name="explicitOptions"/> unchanged.
    /// </summary>
    protected virtual AwsSessionOptions CompleteSessionOptions(AwsSessionOptions explicitOptions) => explicitOptions;

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        _sessions.Clear();
        _facts.Clear();
    }

    private AwsSessionOptions SessionOptions()
    {
        var profileLocation = string.IsNullOrEmpty(ProfileLocation) ? null : FileSystemPath(ProfileLocation!, nameof(ProfileLocation));
        return Require(() => AwsSessionOptionsReader.Read(Region, ProfileName, profileLocation, Credential, EndpointUrl, ShellVariable, CompleteSessionOptions), null);
    }

    private AwsSession CreateSession(AwsSessionOptions options)
    {
        // Any failure here (no credentials, no region, a missing profile, a bad endpoint URL) means nothing can work.
        var session = Require(() => AwsSession.Create(options), options.EndpointUrl ?? options.Region);
        WriteVerbose($"Using {session}" + (session.EndpointUrl is null ? "." : $", endpoint {session.EndpointUrl}."));
        return session;
    }

    private object? ShellVariable(string name)
    {
        var value = SessionState.PSVariable.GetValue(name);
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
