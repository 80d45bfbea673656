#!/usr/bin/env bash
# Fails when the protos break compatibility with the last released API
# (proto/released/exo.v1.binpb, written by scripts/release-api.sh when a
# release is cut) or with the previous commit (so a change and its revert
# in one submission are caught too).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUF=tools/buf/node_modules/.bin/buf
released=proto/released/exo.v1.binpb
if [ -f "$released" ]; then
  echo "buf breaking against the released API ($released)"
  "$BUF" breaking --against "$released"
fi
if git cat-file -e HEAD~1:proto/exo/v1/daemon.proto 2>/dev/null; then
  echo "buf breaking against $(git rev-parse --short=12 HEAD~1)"
  "$BUF" breaking --against ".git#ref=$(git rev-parse HEAD~1)"
fi
