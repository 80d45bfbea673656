#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: Go 1.26,
# PowerShell 7.4+, Pester 5, buf, the protoc plugins and the packages of the
# example gRPC clients (tests/clients). Safe to run often; each step is
# skipped when its tool is already there.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED_TOOLS=$ROOT/../shared/tools
. "$ROOT/scripts/env.sh"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

ensure_go() {
  if command -v go >/dev/null; then return; fi
  if [ -x "$SHARED_TOOLS/install-go.sh" ] || [ -f "$SHARED_TOOLS/install-go.sh" ]; then
    log "installing Go from the offline mirror"
    bash "$SHARED_TOOLS/install-go.sh" >&2
    . "$ROOT/scripts/env.sh"
  else
    log "Go 1.26 is required: install it from your distribution or go.dev"; exit 1
  fi
}

ensure_pwsh() {
  if command -v pwsh >/dev/null &&
     pwsh -NoProfile -NonInteractive -Command 'if ($PSVersionTable.PSVersion -lt [version]"7.4") { exit 1 }'; then
    return
  fi
  log "installing PowerShell 7.6.9 as a dotnet global tool"
  dotnet tool install --global PowerShell --version 7.6.9 >&2 ||
    dotnet tool update --global PowerShell --version 7.6.9 >&2
}

ensure_pester() {
  if [ -f "$EXO_TOOLS/nuget/pester/$PESTER_VERSION/tools/Pester.psd1" ]; then return; fi
  log "restoring Pester $PESTER_VERSION from the configured NuGet source"
  dotnet restore "$ROOT/tools/pester/pester.csproj" --packages "$EXO_TOOLS/nuget" >&2
}

ensure_buf() {
  if [ -x "$ROOT/tools/buf/node_modules/.bin/buf" ]; then return; fi
  log "installing buf from npm"
  (cd "$ROOT/tools/buf" && npm ci --no-audit --no-fund >&2)
}

apt_install() { # package...: from the Debian archive, updating its index if needed
  log "installing $* from the Debian archive"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends "$@" >&2 ||
    { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "$@" >&2; }
}

ensure_apt() { # command package: Debian packages the tests use
  if command -v "$1" >/dev/null; then return; fi
  apt_install "$2"
}

# What the example gRPC clients in tests/clients need. Each step reruns only
# when its lock or project file is newer than what it installed last.
ensure_client_tools() {
  # Debian's python3 (not one first on PATH) is the one with these packages.
  if ! /usr/bin/python3 -c 'import grpc, grpc_tools.protoc' 2>/dev/null; then
    apt_install python3-grpcio python3-grpc-tools
  fi
  local node=$ROOT/tests/clients/node
  if [ ! -f "$node/node_modules/.package-lock.json" ] || [ "$node/package-lock.json" -nt "$node/node_modules/.package-lock.json" ]; then
    log "installing the Node.js client's packages from npm"
    (cd "$node" && npm ci --no-audit --no-fund >&2)
  fi
  local csharp=$ROOT/tests/clients/csharp
  if [ ! -f "$csharp/obj/project.assets.json" ] || [ "$csharp/ExoClientTest.csproj" -nt "$csharp/obj/project.assets.json" ]; then
    log "restoring the C# client's packages from the configured NuGet source"
    dotnet restore "$csharp" >&2
    touch "$csharp/obj/project.assets.json" # a restore with nothing to do leaves it as it was
  fi
}

ensure_go_tool() { # name module@version
  if [ -x "$GOBIN/$1" ]; then return; fi
  log "installing $2"
  go install "$2" >&2
}

PESTER_VERSION=$(sed -n 's/.*Include="Pester" Version="\[\(.*\)\]".*/\1/p' "$ROOT/tools/pester/pester.csproj")
ensure_go
ensure_pwsh
ensure_pester
ensure_buf
ensure_apt sqlite3 sqlite3 # Pester compares what cmdlets return with the sandbox's database
ensure_client_tools
ensure_go_tool protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
ensure_go_tool protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
ensure_go_tool staticcheck honnef.co/go/tools/cmd/staticcheck@v0.8.2
log "ready: $(go version), pwsh $(pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()'), Pester $PESTER_VERSION"
