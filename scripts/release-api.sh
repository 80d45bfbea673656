#!/usr/bin/env bash
# Records the current protos as the released exo.v1 API: from then on
# scripts/check-breaking.sh (run by `make lint`) refuses changes that would
# break clients built against it. Run when a release is cut, and commit the
# result.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mkdir -p proto/released
tools/buf/node_modules/.bin/buf build --exclude-source-info -o proto/released/exo.v1.binpb
echo "released API descriptor written to proto/released/exo.v1.binpb"
