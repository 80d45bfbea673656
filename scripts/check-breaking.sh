#!/usr/bin/env bash
# Fails when the protos break compatibility with what was published: the
# first commit of exo.v1 (so nothing that ever shipped is removed or
# changed) and the previous commit (so a change and its revert in one
# submission are caught too).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUF=tools/buf/node_modules/.bin/buf
first=$(git log --diff-filter=A --format=%H -- proto/exo/v1/daemon.proto | tail -n 1)
refs=()
[ -n "$first" ] && refs+=("$first")
if git cat-file -e HEAD~1:proto/exo/v1/daemon.proto 2>/dev/null; then refs+=("$(git rev-parse HEAD~1)"); fi
if [ ${#refs[@]} -eq 0 ]; then
  echo "buf breaking: no earlier exo.v1 to compare with"
  exit 0
fi
for ref in "${refs[@]}"; do
  echo "buf breaking against ${ref:0:12}"
  "$BUF" breaking --against ".git#ref=$ref"
done
