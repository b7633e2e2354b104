using System;
using System.Net;
using System.Net.Sockets;
using DeployOps.Aws.Retries;

namespace DeployOps.Aws.Http;

/// <summary>Tells a connection that was never made (nothing sent) from one that dropped (the request may have arrived).</summary>
internal static class ConnectionFailures
{
    public static (FailureKind Kind, AwsUnreachableReason Reason) Classify(Exception failure)
    {
        for (var cause = failure; cause is not null; cause = cause.InnerException)
        {
            // .NET (PowerShell 7) reports socket errors; .NET Framework (Windows PowerShell 5.1) reports WebException.
            var classified = cause switch
            {
                SocketException socket => FromSocketError(socket.SocketErrorCode),
                WebException web => FromWebStatus(web.Status),
                _ => null,
            };
            if (classified is not null)
            {
                return classified.Value;
            }
        }

        return (FailureKind.ConnectionLost, AwsUnreachableReason.NetworkError);
    }

    private static (FailureKind, AwsUnreachableReason)? FromSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => (FailureKind.ConnectionNotEstablished, AwsUnreachableReason.ConnectionRefused),
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
            (FailureKind.ConnectionNotEstablished, AwsUnreachableReason.NameNotResolved),
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.AddressNotAvailable =>
            (FailureKind.ConnectionNotEstablished, AwsUnreachableReason.NetworkError),
        SocketError.TimedOut => (FailureKind.ConnectionNotEstablished, AwsUnreachableReason.Timeout),
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown =>
            (FailureKind.ConnectionLost, AwsUnreachableReason.ConnectionLost),
        _ => null,
    };

    private static (FailureKind, AwsUnreachableReason)? FromWebStatus(WebExceptionStatus status) => status switch
    {
        WebExceptionStatus.ConnectFailure => (FailureKind.ConnectionNotEstablished, AwsUnreachableReason.ConnectionRefused),
        WebExceptionStatus.NameResolutionFailure => (FailureKind.ConnectionNotEstablished, AwsUnreachableReason.NameNotResolved),
        WebExceptionStatus.ConnectionClosed or WebExceptionStatus.ReceiveFailure or WebExceptionStatus.KeepAliveFailure
            or WebExceptionStatus.SendFailure => (FailureKind.ConnectionLost, AwsUnreachableReason.ConnectionLost),
        _ => null,
    };
}
