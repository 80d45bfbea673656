// Example Node.js client of the exod gRPC API, run as a test against a
// sandbox. @grpc/proto-loader builds the client from proto/ when the test
// starts, so nothing generated is committed. tests/clients/run.sh starts the
// sandbox and the daemon and sets EXO_SOCKET, EXO_SANDBOX and EXO_SANDBOX_DB.
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, test } = require('node:test');

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const protoDir = path.resolve(__dirname, '..', '..', '..', '..', 'proto');
const v1Dir = path.join(protoDir, 'exo', 'v1');
const definition = protoLoader.loadSync(
  fs.readdirSync(v1Dir).filter((name) => name.endsWith('.proto')).map((name) => path.join('exo', 'v1', name)),
  // oneofs: each message names its set oneof member (event.event === 'record').
  { includeDirs: [protoDir], enums: String, longs: Number, defaults: true, oneofs: true },
);
const exo = grpc.loadPackageDefinition(definition).exo.v1;
// google.rpc's Status and error details, which @grpc/grpc-js does not ship,
// to read the daemon's grpc-status-details-bin trailer.
const rpcDir = path.resolve(__dirname, '..', '..', 'proto', 'google', 'rpc');
const rpc = protobuf.loadSync(['status.proto', 'error_details.proto'].map((name) => path.join(rpcDir, name)));

// env returns a variable run.sh sets, or fails saying how to run the test.
function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run tests/clients/run.sh node`);
  return value;
}

const tenant = JSON.parse(fs.readFileSync(env('EXO_SANDBOX'), 'utf8'));
const address = `unix://${env('EXO_SOCKET')}`;
// Connections belong to a client session; a fresh one keeps this test's
// connection apart from every other client of the daemon.
const session = `node-test-${crypto.randomUUID()}`;

const daemon = new exo.DaemonService(address, grpc.credentials.createInsecure());
const connections = new exo.ConnectionService(address, grpc.credentials.createInsecure());
const queries = new exo.QueryService(address, grpc.credentials.createInsecure());
const commands = new exo.CommandService(address, grpc.credentials.createInsecure());

// sql runs a query on the sandbox's database with the sqlite3 shell.
function sql(query) {
  const out = execFileSync('sqlite3', ['-readonly', '-json', env('EXO_SANDBOX_DB'), query], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return out.trim() === '' ? [] : JSON.parse(out);
}

function unary(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, (err, response) => (err ? reject(err) : resolve(response)));
  });
}

function collect(call) {
  return new Promise((resolve, reject) => {
    const events = [];
    call.on('data', (event) => events.push(event));
    call.on('error', reject);
    call.on('end', () => resolve(events));
  });
}

// toValue builds a google.protobuf.Value, as proto-loader represents it.
function toValue(value) {
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return { numberValue: value };
  return { stringValue: String(value) };
}

function toStruct(fields) {
  return { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, toValue(v)])) };
}

// query runs a Get-EXO* cmdlet and returns its objects, one RecordBatch per
// service page (the cheapest record format), failing on error events.
async function query(cmdlet, parameters, resultSize = 0) {
  const events = await collect(queries.Query({
    clientSession: session,
    cmdlet,
    parameters: toStruct(parameters),
    resultSize,
    recordFormat: 'RECORD_FORMAT_JSON_PAGE',
  }));
  const records = [];
  for (const event of events) {
    assert.notEqual(event.event, 'error', JSON.stringify(event.error));
    if (event.event === 'records') {
      const batch = JSON.parse(event.records.json);
      assert.equal(batch.length, event.records.count);
      records.push(...batch);
    }
  }
  return records;
}

// invoke runs a classic cmdlet with string parameters and returns its
// objects, failing on error events.
async function invoke(cmdlet, parameters) {
  const events = await collect(commands.InvokeCommand({
    clientSession: session,
    cmdlet,
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, { stringValue: v }])),
    recordFormat: 'RECORD_FORMAT_JSON',
  }));
  const records = [];
  for (const event of events) {
    assert.notEqual(event.event, 'error', JSON.stringify(event.error));
    if (event.event === 'record') records.push(JSON.parse(event.record.json));
  }
  return records;
}

let connection;

before(async () => {
  const events = await collect(connections.Connect({
    clientSession: session,
    connectionUri: tenant.connectionUri,
    authorityUri: tenant.authorityUri,
    flow: 'SIGN_IN_FLOW_CERTIFICATE',
    appId: tenant.appId,
    organization: tenant.tenantDomain,
    certificatePkcs12: fs.readFileSync(tenant.certificatePath),
    certificatePassword: tenant.certificatePassword,
    trustedCaPem: fs.readFileSync(tenant.caFile),
  }));
  connection = events.at(-1).connection;
});

after(async () => {
  const closed = await unary(connections, 'Disconnect', { clientSession: session });
  for (const client of [daemon, connections, queries, commands]) client.close();
  assert.deepEqual(closed.connectionId, [connection.connectionId]);
});

test('the connection is app-only, to the sandbox tenant', () => {
  assert.equal(connection.state, 'Connected');
  assert.equal(connection.certificateAuthentication, true);
  assert.equal(connection.appId, tenant.appId);
  assert.equal(connection.tenantId, tenant.tenantId);
});

test('the daemon serves API exo.v1', async () => {
  const version = await unary(daemon, 'GetVersion', {});
  assert.equal(version.apiVersion, 'exo.v1');
});

test('Get-EXOMailbox -ResultSize Unlimited streams every mailbox in the database', async () => {
  const mailboxes = await query('Get-EXOMailbox', {}, -1);
  const rows = sql(`SELECT external_directory_object_id AS id, user_principal_name, alias, display_name,
      primary_smtp_address, recipient_type_details, guid FROM recipients
      WHERE recipient_type = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0`);
  assert.ok(rows.length >= 10000, `run.sh seeds more than 10,000 active mailboxes, found ${rows.length}`);
  assert.equal(mailboxes.length, rows.length);
  const expected = new Map(rows.map((row) => [row.id, row]));
  for (const mailbox of mailboxes) {
    const row = expected.get(mailbox.ExternalDirectoryObjectId);
    assert.ok(row, `unexpected or repeated mailbox ${mailbox.ExternalDirectoryObjectId}`);
    assert.deepEqual(
      [mailbox.UserPrincipalName, mailbox.Alias, mailbox.DisplayName, mailbox.PrimarySmtpAddress,
        mailbox.RecipientTypeDetails, mailbox.Guid],
      [row.user_principal_name, row.alias, row.display_name, row.primary_smtp_address,
        row.recipient_type_details, row.guid],
    );
    expected.delete(mailbox.ExternalDirectoryObjectId);
  }
  assert.equal(expected.size, 0, 'paging neither loses nor repeats mailboxes');
});

test('Set-Mailbox changes a mailbox that Get-Mailbox and Get-EXOMailbox read back', async () => {
  const [{ id, upn }] = sql(`SELECT id, user_principal_name AS upn FROM recipients
      WHERE recipient_type_details = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0
      ORDER BY id LIMIT 1 OFFSET 2`);
  const value = `node-${crypto.randomBytes(4).toString('hex')}`;
  await invoke('Set-Mailbox', { Identity: upn, CustomAttribute1: value });

  const [mailbox] = await invoke('Get-Mailbox', { Identity: upn });
  assert.equal(mailbox.CustomAttribute1, value);
  const [exo] = await query('Get-EXOMailbox', { Identity: upn, Properties: ['CustomAttribute1'] });
  assert.equal(exo.CustomAttribute1, value);
  const [stored] = sql(`SELECT json_extract(props, '$.CustomAttribute1') AS value FROM recipients
      WHERE id = ${Number(id)}`);
  assert.equal(stored.value, value);
});

// statusDetails decodes a call error's google.rpc details by type name.
function statusDetails(err) {
  const [raw] = err.metadata.get('grpc-status-details-bin');
  assert.ok(raw, 'the error carries grpc-status-details-bin');
  const status = rpc.lookupType('google.rpc.Status').decode(raw);
  assert.equal(status.code, err.code);
  const details = {};
  for (const any of status.details) {
    const name = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
    details[name] = rpc.lookupType(name).toObject(rpc.lookupType(name).decode(any.value));
  }
  return details;
}

test('a malformed filter fails the call with INVALID_ARGUMENT and the catalogue\'s details', async () => {
  await assert.rejects(query('Get-EXOMailbox', { Filter: 'Alias -eq' }), (err) => {
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, /position 9/);
    const details = statusDetails(err);
    const info = details['google.rpc.ErrorInfo'];
    assert.equal(info.domain, 'exo.v1');
    assert.equal(info.reason, 'FILTER_INVALID');
    assert.equal(info.metadata.position, '9');
    assert.deepEqual(details['google.rpc.BadRequest'].fieldViolations.map((v) => v.field), ['Filter']);
    return true;
  });
});
