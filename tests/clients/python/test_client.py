"""Example Python client of the exod gRPC API, run as a test against a sandbox.

Stubs are generated from proto/ at test time, with grpc_tools.protoc, into a
temporary directory, so they never drift from the protos. Uses Debian's
python3-grpcio and python3-grpc-tools; tests/clients/run.sh starts the
sandbox and the daemon and sets EXO_SOCKET, EXO_SANDBOX and EXO_SANDBOX_DB.
"""

import atexit
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import unittest
import uuid

import grpc
import grpc_tools
from grpc_tools import protoc

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PROTO_DIR = os.path.join(ROOT, "proto")
# google.rpc's Status and error details, which Debian packages for no Python.
RPC_PROTO_DIR = os.path.join(ROOT, "tests", "clients", "proto")


def generate_stubs():
    """Compiles exo.v1 and google.rpc into a temporary directory and imports from it."""
    out = tempfile.mkdtemp(prefix="exo-python-stubs-")
    atexit.register(shutil.rmtree, out, True)
    protos = []
    for include, package in ((PROTO_DIR, "exo/v1"), (RPC_PROTO_DIR, "google/rpc")):
        folder = os.path.join(include, package)
        protos += sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".proto"))
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    args = ["grpc_tools.protoc", "-I" + PROTO_DIR, "-I" + RPC_PROTO_DIR, "-I" + well_known,
            "--python_out=" + out, "--grpc_python_out=" + out] + protos
    if protoc.main(args) != 0:
        raise RuntimeError("grpc_tools.protoc failed")
    sys.path.insert(0, out)


generate_stubs()
# pylint: disable=wrong-import-position,import-error
from exo.v1 import command_pb2, command_pb2_grpc  # noqa: E402
from exo.v1 import connection_pb2, connection_pb2_grpc  # noqa: E402
from exo.v1 import daemon_pb2, daemon_pb2_grpc  # noqa: E402
from exo.v1 import output_pb2, query_pb2, query_pb2_grpc  # noqa: E402
from google.protobuf import struct_pb2  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402


def env(name):
    """Returns a variable run.sh sets, or fails saying how to run the test."""
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(name + " is not set; run tests/clients/run.sh python")
    return value


def plain(value):
    """Turns a google.protobuf.Value into the Python value it holds."""
    kind = value.WhichOneof("kind")
    if kind == "list_value":
        return [plain(v) for v in value.list_value.values]
    if kind == "struct_value":
        return {k: plain(v) for k, v in value.struct_value.fields.items()}
    if kind in (None, "null_value"):
        return None
    return getattr(value, kind)


def struct(**fields):
    """Builds the google.protobuf.Struct of a Get-EXO* call's parameters."""
    s = struct_pb2.Struct()
    s.update(fields)
    return s


class ExodClientTest(unittest.TestCase):
    """Connects app-only with the sandbox's certificate, then exercises each service."""

    @classmethod
    def setUpClass(cls):
        with open(env("EXO_SANDBOX"), encoding="utf-8") as f:
            cls.tenant = json.load(f)
        cls.db = sqlite3.connect("file:" + env("EXO_SANDBOX_DB") + "?mode=ro", uri=True)
        cls.channel = grpc.insecure_channel("unix://" + env("EXO_SOCKET"))
        cls.connections = connection_pb2_grpc.ConnectionServiceStub(cls.channel)
        cls.queries = query_pb2_grpc.QueryServiceStub(cls.channel)
        cls.commands = command_pb2_grpc.CommandServiceStub(cls.channel)
        # Connections belong to a client session; a fresh one keeps this
        # test's connection apart from every other client of the daemon.
        cls.session = "python-test-" + uuid.uuid4().hex
        with open(cls.tenant["certificatePath"], "rb") as f:
            pkcs12 = f.read()
        with open(cls.tenant["caFile"], "rb") as f:
            ca = f.read()
        request = connection_pb2.ConnectRequest(
            client_session=cls.session,
            connection_uri=cls.tenant["connectionUri"],
            authority_uri=cls.tenant["authorityUri"],
            flow=connection_pb2.SIGN_IN_FLOW_CERTIFICATE,
            app_id=cls.tenant["appId"],
            organization=cls.tenant["tenantDomain"],
            certificate_pkcs12=pkcs12,
            certificate_password=cls.tenant["certificatePassword"],
            trusted_ca_pem=ca,
        )
        events = list(cls.connections.Connect(request))
        cls.connection = events[-1].connection

    @classmethod
    def tearDownClass(cls):
        closed = cls.connections.Disconnect(connection_pb2.DisconnectRequest(client_session=cls.session))
        cls.channel.close()
        cls.db.close()
        assert list(closed.connection_id) == [cls.connection.connection_id], closed

    def query(self, cmdlet, parameters, result_size=0):
        """Runs a Get-EXO* cmdlet; returns its records as dicts, failing on error events."""
        request = query_pb2.QueryRequest(
            client_session=self.session, cmdlet=cmdlet, parameters=parameters,
            result_size=result_size, record_format=output_pb2.RECORD_FORMAT_PROPERTIES)
        records = []
        for event in self.queries.Query(request):
            self.assertNotEqual(event.WhichOneof("event"), "error", event)
            if event.HasField("record"):
                records.append({p.name: plain(p.value) for p in event.record.properties})
        return records

    def invoke(self, cmdlet, **parameters):
        """Runs a classic cmdlet with string parameters; returns its JSON records."""
        request = command_pb2.InvokeCommandRequest(
            client_session=self.session, cmdlet=cmdlet, record_format=output_pb2.RECORD_FORMAT_JSON)
        for name, value in parameters.items():
            request.parameters[name].string_value = value
        records = []
        for event in self.commands.InvokeCommand(request):
            self.assertNotEqual(event.WhichOneof("event"), "error", event)
            if event.HasField("record"):
                records.append(json.loads(event.record.json))
        return records

    def test_connection_is_app_only(self):
        self.assertEqual(self.connection.state, "Connected")
        self.assertTrue(self.connection.certificate_authentication)
        self.assertEqual(self.connection.app_id, self.tenant["appId"])
        self.assertEqual(self.connection.tenant_id, self.tenant["tenantId"])

    def test_daemon_serves_api_v1(self):
        version = daemon_pb2_grpc.DaemonServiceStub(self.channel).GetVersion(daemon_pb2.GetVersionRequest())
        self.assertEqual(version.api_version, "exo.v1")

    def test_streams_every_mailbox(self):
        mailboxes = self.query("Get-EXOMailbox", struct(), result_size=-1)
        rows = self.db.execute(
            "SELECT external_directory_object_id, user_principal_name, alias, display_name,"
            " primary_smtp_address, recipient_type_details, guid FROM recipients"
            " WHERE recipient_type = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0").fetchall()
        self.assertGreaterEqual(len(rows), 10000, "run.sh seeds more than 10,000 active mailboxes")
        self.assertEqual(len(mailboxes), len(rows))
        expected = {row[0]: row[1:] for row in rows}
        for mailbox in mailboxes:
            got = (mailbox["UserPrincipalName"], mailbox["Alias"], mailbox["DisplayName"],
                   mailbox["PrimarySmtpAddress"], mailbox["RecipientTypeDetails"], mailbox["Guid"])
            self.assertEqual(got, expected.pop(mailbox["ExternalDirectoryObjectId"]))
        self.assertEqual(expected, {}, "paging neither loses nor repeats mailboxes")

    def test_set_mailbox_then_read_back(self):
        upn = self.db.execute(
            "SELECT user_principal_name FROM recipients WHERE recipient_type_details = 'UserMailbox'"
            " AND soft_deleted = 0 AND inactive = 0 ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
        value = "python-" + uuid.uuid4().hex[:8]
        self.invoke("Set-Mailbox", Identity=upn, CustomAttribute1=value)

        [mailbox] = self.invoke("Get-Mailbox", Identity=upn)
        self.assertEqual(mailbox["CustomAttribute1"], value)
        [exo] = self.query("Get-EXOMailbox", struct(Identity=upn, Properties=["CustomAttribute1"]))
        self.assertEqual(exo["CustomAttribute1"], value)
        stored = self.db.execute(
            "SELECT json_extract(props, '$.CustomAttribute1') FROM recipients WHERE user_principal_name = ?",
            (upn,)).fetchone()[0]
        self.assertEqual(stored, value)

    def test_bad_filter_is_invalid_argument_with_details(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.query("Get-EXOMailbox", struct(Filter="Alias -eq"))
        error = caught.exception
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("position 9", error.details())
        # The catalogue's details travel as a google.rpc.Status in the trailers.
        [raw] = [v for k, v in error.trailing_metadata() if k == "grpc-status-details-bin"]
        status = status_pb2.Status.FromString(raw)
        self.assertEqual(status.code, grpc.StatusCode.INVALID_ARGUMENT.value[0])
        info, bad_request = error_details_pb2.ErrorInfo(), error_details_pb2.BadRequest()
        for detail in status.details:
            if detail.Is(info.DESCRIPTOR):
                detail.Unpack(info)
            elif detail.Is(bad_request.DESCRIPTOR):
                detail.Unpack(bad_request)
        self.assertEqual((info.domain, info.reason), ("exo.v1", "FILTER_INVALID"))
        self.assertEqual(info.metadata["position"], "9")
        self.assertEqual([v.field for v in bad_request.field_violations], ["Filter"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
