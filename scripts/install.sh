#!/usr/bin/env bash
# Installs the module and its daemon into the current user's PowerShell
# module path, so a plain `Import-Module ExchangeOnlineManagement` loads ours.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/env.sh"
SRC=$ROOT/bridge-ps/ExchangeOnlineManagement
VERSION=$(pwsh -NoProfile -NonInteractive -Command "(Import-PowerShellDataFile '$SRC/ExchangeOnlineManagement.psd1').ModuleVersion")
USER_MODULES=$(pwsh -NoProfile -NonInteractive -Command '($env:PSModulePath -split [IO.Path]::PathSeparator)[0]')
DEST=$USER_MODULES/ExchangeOnlineManagement/$VERSION
[ -x "$SRC/bin/exod" ] || { echo "build first: make build" >&2; exit 1; }
rm -rf "$DEST"
mkdir -p "$DEST"
cp -R "$SRC/." "$DEST/"
echo "installed ExchangeOnlineManagement $VERSION to $DEST"
