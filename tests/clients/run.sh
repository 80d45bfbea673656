#!/usr/bin/env bash
# Runs the example gRPC clients' tests (tests/clients/<language>) against one
# seeded sandbox tenant and one daemon, both private to this run and stopped
# at the end. Usage: run.sh [python] [node] [csharp]; no argument runs all.
#
# Each test finds what it needs in the environment:
#   EXO_SOCKET      the daemon's Unix socket
#   EXO_SANDBOX     a file holding the sandbox's JSON tenant description
#                   (the first line `exod sandbox` prints)
#   EXO_SANDBOX_DB  the sandbox's SQLite database, to check results against
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
exod=${EXOD_PATH:-$root/bridge-ps/ExchangeOnlineManagement/bin/exod}
# 10,200 seeded mailboxes leave a little over 10,000 active ones to stream
# (the seed soft-deletes some).
mailboxes=${EXO_CLIENT_MAILBOXES:-10200}
clients=("$@")
[ ${#clients[@]} -gt 0 ] || clients=(python node csharp)

[ -x "$exod" ] || { echo "exod is not built: run 'make build' first ($exod)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/exo-clients-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "run.sh: $*" >&2
  for log in "$work/sandbox.log" "$work/exod.log"; do
    [ -f "$log" ] && { echo "--- last lines of $(basename "$log"):" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

"$exod" sandbox seed --data "$work/tenant.db" --mailboxes "$mailboxes" >&2
"$exod" sandbox --data "$work/tenant.db" --port 0 --log-file "$work/sandbox.log" >"$work/sandbox.out" &
pids+=($!)
"$exod" serve --socket "$work/exod.sock" --log-file "$work/exod.log" &
pids+=($!)
for _ in $(seq 300); do
  [ -S "$work/exod.sock" ] && [ -s "$work/sandbox.out" ] && break
  sleep 0.1
done
[ -S "$work/exod.sock" ] || fail "the daemon did not listen on $work/exod.sock"
head -n 1 "$work/sandbox.out" >"$work/sandbox.json"
[ -s "$work/sandbox.json" ] || fail "the sandbox did not describe its tenant"

export EXO_SOCKET=$work/exod.sock EXO_SANDBOX=$work/sandbox.json EXO_SANDBOX_DB=$work/tenant.db
for client in "${clients[@]}"; do
  echo "== $client client" >&2
  start=$SECONDS
  case $client in
    # Debian's python3, whose dist-packages hold python3-grpcio and
    # python3-grpc-tools, even when another python3 comes first on PATH.
    python) /usr/bin/python3 "$here/python/test_client.py" || fail "the python client test failed" ;;
    node) (cd "$here/node" && node --test --test-reporter=spec test/client.test.js) || fail "the node client test failed" ;;
    csharp) dotnet run --project "$here/csharp" -c Release || fail "the C# client test failed" ;;
    *) fail "unknown client '$client' (python, node or csharp)" ;;
  esac
  echo "== $client client passed in $((SECONDS - start)) s" >&2
done
