// Example C# client of the exod gRPC API, run as a test against a sandbox.
// tests/clients/run.sh starts the sandbox and the daemon and sets EXO_SOCKET,
// EXO_SANDBOX and EXO_SANDBOX_DB. Exits non-zero when a check fails.
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Exo.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

var tenant = JsonDocument.Parse(File.ReadAllText(Env("EXO_SANDBOX"))).RootElement;
string Tenant(string name) => tenant.GetProperty(name).GetString()!;
var database = Env("EXO_SANDBOX_DB");

using var channel = ExodChannel.ForSocket(Env("EXO_SOCKET"));
var daemon = new DaemonService.DaemonServiceClient(channel);
var connections = new ConnectionService.ConnectionServiceClient(channel);
var queries = new QueryService.QueryServiceClient(channel);
var commands = new CommandService.CommandServiceClient(channel);
// Connections belong to a client session; a fresh one keeps this test's
// connection apart from every other client of the daemon.
var session = $"csharp-test-{Guid.NewGuid():N}";

var checks = new Checks();

Connection? connection = null;
await checks.Run("connects app-only with the sandbox's certificate", async () =>
{
    using var call = connections.Connect(new ConnectRequest
    {
        ClientSession = session,
        ConnectionUri = Tenant("connectionUri"),
        AuthorityUri = Tenant("authorityUri"),
        Flow = SignInFlow.Certificate,
        AppId = Tenant("appId"),
        Organization = Tenant("tenantDomain"),
        CertificatePkcs12 = ByteString.CopyFrom(File.ReadAllBytes(Tenant("certificatePath"))),
        CertificatePassword = Tenant("certificatePassword"),
        TrustedCaPem = ByteString.CopyFrom(File.ReadAllBytes(Tenant("caFile"))),
    });
    await foreach (var ev in call.ResponseStream.ReadAllAsync())
    {
        if (ev.EventCase == ConnectResponse.EventOneofCase.Connection) connection = ev.Connection;
    }
    Checks.Equal("Connected", connection?.State);
    Checks.Equal(true, connection!.CertificateAuthentication);
    Checks.Equal(Tenant("appId"), connection.AppId);
    Checks.Equal(Tenant("tenantId"), connection.TenantId);
});

await checks.Run("the daemon serves API exo.v1", async () =>
{
    var version = await daemon.GetVersionAsync(new GetVersionRequest());
    Checks.Equal("exo.v1", version.ApiVersion);
});

await checks.Run("Get-EXOMailbox -ResultSize Unlimited streams every mailbox in the database", async () =>
{
    var mailboxes = await Query("Get-EXOMailbox", new Struct(), resultSize: -1);
    var rows = Sql("""
        SELECT external_directory_object_id AS id, user_principal_name, alias, display_name,
               primary_smtp_address, recipient_type_details, guid
        FROM recipients WHERE recipient_type = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0
        """);
    Checks.True(rows.Count >= 10000, $"run.sh seeds more than 10,000 active mailboxes, found {rows.Count}");
    Checks.Equal(rows.Count, mailboxes.Count);
    var expected = rows.ToDictionary(r => r["id"]!);
    foreach (var mailbox in mailboxes)
    {
        var id = (string)mailbox["ExternalDirectoryObjectId"]!;
        Checks.True(expected.Remove(id, out var row), $"unexpected or repeated mailbox {id}");
        Checks.Equal(row!["user_principal_name"], mailbox["UserPrincipalName"]);
        Checks.Equal(row["alias"], mailbox["Alias"]);
        Checks.Equal(row["display_name"], mailbox["DisplayName"]);
        Checks.Equal(row["primary_smtp_address"], mailbox["PrimarySmtpAddress"]);
        Checks.Equal(row["recipient_type_details"], mailbox["RecipientTypeDetails"]);
        // RECORD_FORMAT_PROPERTIES types GUIDs, so the client can too.
        Checks.Equal(Guid.Parse(row["guid"]!), mailbox["Guid"]);
    }
    Checks.Equal(0, expected.Count);
});

await checks.Run("Set-Mailbox changes a mailbox that Get-Mailbox and Get-EXOMailbox read back", async () =>
{
    var row = Sql("""
        SELECT id, user_principal_name FROM recipients
        WHERE recipient_type_details = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0
        ORDER BY id LIMIT 1 OFFSET 3
        """).Single();
    var upn = row["user_principal_name"]!;
    var value = $"csharp-{Guid.NewGuid():N}"[..15];
    await Invoke("Set-Mailbox", ("Identity", upn), ("CustomAttribute1", value));

    var mailbox = (await Invoke("Get-Mailbox", ("Identity", upn))).Single();
    Checks.Equal(value, mailbox.GetProperty("CustomAttribute1").GetString());
    var parameters = new Struct
    {
        Fields =
        {
            ["Identity"] = Value.ForString(upn),
            ["Properties"] = Value.ForList(Value.ForString("CustomAttribute1")),
        },
    };
    var exo = (await Query("Get-EXOMailbox", parameters)).Single();
    Checks.Equal(value, exo["CustomAttribute1"]);
    var stored = Sql($"SELECT json_extract(props, '$.CustomAttribute1') AS value FROM recipients WHERE id = {int.Parse(row["id"]!)}").Single();
    Checks.Equal(value, stored["value"]);
});

await checks.Run("a malformed filter fails the call with INVALID_ARGUMENT and the catalogue's details", async () =>
{
    var parameters = new Struct { Fields = { ["Filter"] = Value.ForString("Alias -eq") } };
    try
    {
        await Query("Get-EXOMailbox", parameters);
        throw new CheckFailedException("the call succeeded");
    }
    catch (RpcException e)
    {
        Checks.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Checks.True(e.Status.Detail.Contains("position 9"), $"details: {e.Status.Detail}");
        // The catalogue's details travel as a google.rpc.Status in the trailers.
        var status = e.GetRpcStatus() ?? throw new CheckFailedException("no grpc-status-details-bin");
        var info = status.GetDetail<ErrorInfo>() ?? throw new CheckFailedException("no ErrorInfo");
        Checks.Equal("exo.v1", info.Domain);
        Checks.Equal("FILTER_INVALID", info.Reason);
        Checks.Equal("9", info.Metadata["position"]);
        var badRequest = status.GetDetail<BadRequest>() ?? throw new CheckFailedException("no BadRequest");
        Checks.Equal("Filter", badRequest.FieldViolations.Single().Field);
    }
});

await checks.Run("Disconnect closes the connection", async () =>
{
    var closed = await connections.DisconnectAsync(new DisconnectRequest { ClientSession = session });
    Checks.Equal(connection?.ConnectionId, closed.ConnectionId.Single());
});

return checks.Summary();

// Query runs a Get-EXO* cmdlet with typed properties (RECORD_FORMAT_PROPERTIES)
// and returns each object as a name-to-value dictionary.
async Task<List<Dictionary<string, object?>>> Query(string cmdlet, Struct parameters, long resultSize = 0)
{
    using var call = queries.Query(new QueryRequest
    {
        ClientSession = session,
        Cmdlet = cmdlet,
        Parameters = parameters,
        ResultSize = resultSize,
        RecordFormat = RecordFormat.Properties,
    });
    var records = new List<Dictionary<string, object?>>();
    await foreach (var ev in call.ResponseStream.ReadAllAsync())
    {
        Checks.True(ev.EventCase != QueryResponse.EventOneofCase.Error, $"error event: {ev.Error}");
        if (ev.EventCase == QueryResponse.EventOneofCase.Record)
        {
            records.Add(ev.Record.Properties.ToDictionary(p => p.Name, p => Typed(p.Value, p.Kind)));
        }
    }
    return records;
}

// Invoke runs a classic cmdlet with string parameters and returns its objects.
async Task<List<JsonElement>> Invoke(string cmdlet, params (string Name, string Value)[] parameters)
{
    var request = new InvokeCommandRequest { ClientSession = session, Cmdlet = cmdlet, RecordFormat = RecordFormat.Json };
    foreach (var (name, value) in parameters) request.Parameters[name] = new ParameterValue { StringValue = value };
    using var call = commands.InvokeCommand(request);
    var records = new List<JsonElement>();
    await foreach (var ev in call.ResponseStream.ReadAllAsync())
    {
        Checks.True(ev.EventCase != InvokeCommandResponse.EventOneofCase.Error, $"error event: {ev.Error}");
        if (ev.EventCase == InvokeCommandResponse.EventOneofCase.Record)
        {
            records.Add(JsonDocument.Parse(ev.Record.Json).RootElement);
        }
    }
    return records;
}

// Sql runs a query on the sandbox's database with the sqlite3 shell; each
// row maps column names to text.
List<Dictionary<string, string?>> Sql(string query)
{
    var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true };
    foreach (var argument in new[] { "-readonly", "-json", database, query }) start.ArgumentList.Add(argument);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new CheckFailedException($"sqlite3 failed on: {query}");
    if (string.IsNullOrWhiteSpace(output)) return [];
    return JsonDocument.Parse(output).RootElement.EnumerateArray()
        .Select(row => row.EnumerateObject().ToDictionary(
            p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString()))
        .ToList();
}

static object? Typed(Value value, ValueKind kind) => value.KindCase switch
{
    Value.KindOneofCase.StringValue when kind == ValueKind.Guid => Guid.Parse(value.StringValue),
    Value.KindOneofCase.StringValue when kind == ValueKind.DateTime => DateTimeOffset.Parse(value.StringValue),
    Value.KindOneofCase.StringValue => value.StringValue,
    Value.KindOneofCase.BoolValue => value.BoolValue,
    Value.KindOneofCase.NumberValue => value.NumberValue,
    Value.KindOneofCase.ListValue => value.ListValue.Values.Select(v => Typed(v, kind)).ToList(),
    _ => null,
};

static string Env(string name) =>
    Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set; run tests/clients/run.sh csharp");

// ExodChannel opens gRPC channels to the daemon's Unix socket.
static class ExodChannel
{
    // ForSocket returns a channel whose HTTP/2 connections go to the socket;
    // the "http://localhost" address only fills the :authority header.
    public static GrpcChannel ForSocket(string path)
    {
        var endPoint = new UnixDomainSocketEndPoint(path);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
    }
}

// Checks runs named checks, reports each, and counts the failures.
sealed class Checks
{
    private int _failed;
    private int _passed;

    public async Task Run(string name, Func<Task> check)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await check();
            _passed++;
            Console.WriteLine($"ok   {name} ({clock.ElapsedMilliseconds} ms)");
        }
        catch (Exception e)
        {
            _failed++;
            Console.WriteLine($"FAIL {name}: {e.GetType().Name}: {e.Message}");
        }
    }

    public int Summary()
    {
        Console.WriteLine($"{_passed} passed, {_failed} failed");
        return _failed == 0 ? 0 : 1;
    }

    public static void True(bool condition, string message)
    {
        if (!condition) throw new CheckFailedException(message);
    }

    public static void Equal(object? expected, object? actual)
    {
        if (!Equals(expected, actual))
            throw new CheckFailedException($"expected <{expected}>, got <{actual}>");
    }
}

sealed class CheckFailedException(string message) : Exception(message);
