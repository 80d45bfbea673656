# Every target installs what it needs first (scripts/bootstrap.sh is
# idempotent), so `make demo` and `make test` work on a fresh machine.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
ENV := . scripts/env.sh &&
MODULE_DIR := bridge-ps/ExchangeOnlineManagement
EXOD := $(MODULE_DIR)/bin/exod
BUF := tools/buf/node_modules/.bin/buf

.PHONY: all bootstrap build generate check-generated lint test test-go test-pester test-clients demo install bench clean

all: build

bootstrap:
	bash scripts/bootstrap.sh

build: bootstrap
	$(ENV) go build -trimpath -o $(EXOD) ./server
	$(ENV) go build -trimpath -o $(MODULE_DIR)/bin/exoctl ./cmd/exoctl

generate: bootstrap
	$(ENV) $(BUF) generate

# CI fails when the committed stubs differ from what the protos generate.
check-generated: generate
	@if [ -n "$$(git status --porcelain -- proto)" ]; then \
	  echo "generated code is out of date; run 'make generate' and commit:"; \
	  git status --porcelain -- proto; git --no-pager diff --stat -- proto; exit 1; fi

# docs/api.md is generated from the protos' comments; its examples section
# is hand-written and kept.
docs: bootstrap
	$(ENV) $(BUF) build -o - | go run ./tools/apidoc -out docs/api.md

# CI fails when docs/api.md does not match the protos.
check-docs: docs
	@if [ -n "$$(git status --porcelain -- docs/api.md)" ]; then \
	  echo "docs/api.md is out of date; run 'make docs' and commit:"; \
	  git --no-pager diff --stat -- docs/api.md; exit 1; fi

lint: bootstrap
	$(ENV) $(BUF) lint
	bash scripts/check-breaking.sh
	$(ENV) test -z "$$(gofmt -l server internal tests cmd tools/apidoc 2>/dev/null)" || { gofmt -l server internal tests cmd tools/apidoc; echo "gofmt needed"; exit 1; }
	$(ENV) go vet ./...
	$(ENV) staticcheck ./...

test-go: bootstrap
	$(ENV) go test -race -count=1 ./...

test-pester: build
	$(ENV) pwsh -NoProfile -NonInteractive -File tests/pester/Invoke-Tests.ps1

# The example C#, Python and Node.js gRPC clients against one seeded sandbox.
test-clients: build
	$(ENV) bash tests/clients/run.sh

test: build lint check-generated check-docs test-go test-pester test-clients

demo: build
	$(ENV) pwsh -NoProfile -NonInteractive -File examples/demo.ps1

install: build
	bash scripts/install.sh

bench: build
	$(ENV) pwsh -NoProfile -NonInteractive -File tests/bench/roundtrip.ps1

clean:
	rm -rf $(MODULE_DIR)/bin
