using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace DeployOps.Commands.Tests.Hosting;

/// <summary>How the host answers a confirmation prompt (ShouldProcess with -Confirm or $ConfirmPreference).</summary>
public enum ConfirmAnswer
{
    /// <summary>No prompt is expected: one fails the command (a HostException), so an unexpected prompt never passes unseen.</summary>
    NoPromptExpected,

    /// <summary>"Yes".</summary>
    Yes,

    /// <summary>"No".</summary>
    No,
}

/// <summary>
/// A PowerShell host for tests: it answers confirmation prompts as <see cref="Answer"/> says, and records every prompt
/// and every line shown to the user (-WhatIf messages, Trace-Command -PSHost output), which a runspace without a host
/// would drop. It never reads input: a prompt for a missing mandatory parameter fails like a non-interactive shell.
/// </summary>
public sealed class AnsweringHost : PSHost
{
    private readonly AnsweringUserInterface _ui = new();

    /// <summary>The answer to the next confirmation prompts.</summary>
    public ConfirmAnswer Answer
    {
        get => _ui.Answer;
        set => _ui.Answer = value;
    }

    /// <summary>Forgets the recorded lines and prompts.</summary>
    public void Clear()
    {
        lock (_ui.Gate)
        {
            _ui.Lines.Clear();
            _ui.Prompts.Clear();
        }
    }

    /// <summary>The lines shown since <see cref="Clear"/>.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_ui.Gate)
            {
                return _ui.Lines.ToArray();
            }
        }
    }

    /// <summary>The confirmation prompts ("caption: message") since <see cref="Clear"/>.</summary>
    public IReadOnlyList<string> Prompts
    {
        get
        {
            lock (_ui.Gate)
            {
                return _ui.Prompts.ToArray();
            }
        }
    }

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "DeployOps.Commands.Tests";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class AnsweringUserInterface : PSHostUserInterface
    {
        public readonly object Gate = new();

        public readonly List<string> Lines = new();

        public readonly List<string> Prompts = new();

        public ConfirmAnswer Answer { get; set; }

        // No raw console: PowerShell then renders nothing itself (progress stays in the Progress stream).
        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (Gate)
            {
                Prompts.Add($"{caption}: {message}");
            }

            var label = Answer switch
            {
                ConfirmAnswer.Yes => "&Yes",
                ConfirmAnswer.No => "&No",
                _ => throw new HostException($"Unexpected prompt: {caption}: {message}"),
            };
            for (var i = 0; i < choices.Count; i++)
            {
                if (choices[i].Label == label)
                {
                    return i;
                }
            }

            throw new HostException($"The prompt '{caption}' offers no {label} choice.");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new HostException("The test host reads no input (prompted for " + string.Join(", ", descriptions.Select(description => description.Name)) + ").");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new HostException("The test host reads no credentials.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new HostException("The test host reads no credentials.");

        public override string ReadLine() => throw new HostException("The test host reads no input.");

        public override SecureString ReadLineAsSecureString() => throw new HostException("The test host reads no input.");

        public override void Write(string value) => Record(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Record(value);

        public override void WriteLine(string value) => Record(value);

        public override void WriteErrorLine(string value) => Record(value);

        public override void WriteDebugLine(string message) => Record(message);

        public override void WriteVerboseLine(string message) => Record(message);

        public override void WriteWarningLine(string message) => Record(message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        private void Record(string text)
        {
            lock (Gate)
            {
                Lines.Add(text);
            }
        }
    }
}
