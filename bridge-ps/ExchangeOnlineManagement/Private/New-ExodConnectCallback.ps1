function New-ExodConnectCallback {
    <#
    .SYNOPSIS
    Builds the SocketsHttpHandler.ConnectCallback that dials a Unix socket.

    .DESCRIPTION
    HttpClient calls ConnectCallback on a thread-pool thread, where no
    PowerShell runspace exists, so a script block cast to the delegate type
    would fail there. Instead this builds the callback as a .NET expression
    tree and compiles it, so no script runs when a connection is opened. The
    compiled callback does:

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try { socket.Connect(endPoint); return new ValueTask<Stream>(new NetworkStream(socket, ownsSocket: true)); }
        catch { socket.Dispose(); throw; }

    A synchronous Connect is fine: a Unix socket connects or fails at once.

    .PARAMETER SocketPath
    The Unix socket to connect to.
    #>
    [CmdletBinding()]
    [OutputType([System.Func[System.Net.Http.SocketsHttpConnectionContext, System.Threading.CancellationToken, System.Threading.Tasks.ValueTask[System.IO.Stream]]])]
    param(
        [Parameter(Mandatory)]
        [string] $SocketPath
    )

    $expr = [System.Linq.Expressions.Expression]
    $socketType = [System.Net.Sockets.Socket]
    $resultType = [System.Threading.Tasks.ValueTask[System.IO.Stream]]
    # [Expression]::New would call Expression's constructor (PowerShell's
    # ::new syntax), so the New factory is reached through reflection.
    $newFactory = $expr.GetMethod('New', [type[]]@([System.Reflection.ConstructorInfo], [System.Linq.Expressions.Expression[]]))
    $new = {
        param([type] $Type, [type[]] $Signature, [System.Linq.Expressions.Expression[]] $Arguments)
        $newFactory.Invoke($null, @($Type.GetConstructor($Signature), $Arguments))
    }

    $endPoint = [System.Net.Sockets.UnixDomainSocketEndPoint]::new($SocketPath)
    $socket = $expr::Variable($socketType, 'socket')
    $createSocket = & $new $socketType @([System.Net.Sockets.AddressFamily], [System.Net.Sockets.SocketType], [System.Net.Sockets.ProtocolType]) @(
        $expr::Constant([System.Net.Sockets.AddressFamily]::Unix)
        $expr::Constant([System.Net.Sockets.SocketType]::Stream)
        $expr::Constant([System.Net.Sockets.ProtocolType]::Unspecified))
    $connect = $expr::Call($socket, $socketType.GetMethod('Connect', [type[]]@([System.Net.EndPoint])),
        [System.Linq.Expressions.Expression[]]@($expr::Constant($endPoint, [System.Net.EndPoint])))
    $networkStream = & $new ([System.Net.Sockets.NetworkStream]) @($socketType, [bool]) @($socket, $expr::Constant($true))
    $result = & $new $resultType @([System.IO.Stream]) @($expr::Convert($networkStream, [System.IO.Stream]))
    $disposeSocket = $expr::Call($socket, $socketType.GetMethod('Dispose', [type[]]@()))

    $body = $expr::Block([System.Linq.Expressions.ParameterExpression[]]@($socket), [System.Linq.Expressions.Expression[]]@(
            $expr::Assign($socket, $createSocket)
            $expr::TryCatch(
                $expr::Block([System.Linq.Expressions.Expression[]]@($connect, $result)),
                [System.Linq.Expressions.CatchBlock[]]@($expr::Catch([System.Exception],
                        $expr::Block([System.Linq.Expressions.Expression[]]@($disposeSocket, $expr::Rethrow($resultType))))))))
    $parameters = [System.Linq.Expressions.ParameterExpression[]]@(
        $expr::Parameter([System.Net.Http.SocketsHttpConnectionContext], 'context')
        $expr::Parameter([System.Threading.CancellationToken], 'cancellationToken'))
    $delegateType = [System.Func[System.Net.Http.SocketsHttpConnectionContext, System.Threading.CancellationToken, System.Threading.Tasks.ValueTask[System.IO.Stream]]]
    $expr::Lambda($delegateType, $body, $parameters).Compile()
}
