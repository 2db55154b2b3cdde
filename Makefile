# Homeroom. `make run` serves on the embedded default; `make test` runs the
# tests (real Postgres and Redis where a test needs them, node for the
# JavaScript client, headless Chromium for the browser classroom).

GO        ?= go
BIN       ?= bin/homeroom
ADDR      ?= 127.0.0.1:8080
STUDENTS  ?= 2000
NODE_DIR  := web/client
APP_DIR   := web
STATICCHECK_VERSION ?= v0.8.2

.PHONY: all build run test test-go test-js lint fuzz bench bench-go bench-gameday web-deps web app-deps browser-deps clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/homeroom

run: build
	$(BIN) serve --addr $(ADDR) --demo

web-deps:
	@cd $(NODE_DIR) && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

# The browser classroom: bundle web/app (and web/client) into web/static,
# which the binary embeds. Commit web/static; TestBundleIsFresh fails when
# it is stale.
web: app-deps web-deps
	cd $(APP_DIR) && node build.mjs

app-deps:
	@cd $(APP_DIR) && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

# Headless Chromium for the browser tests in web/ (Debian's package).
browser-deps:
	./scripts/install-chromium.sh

test: web-deps app-deps browser-deps test-go test-js

test-go:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 10m ./...

test-js: web-deps app-deps
	cd $(NODE_DIR) && npm test
	cd $(APP_DIR) && npm test

lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

# Short fuzzing of every decoder that reads client bytes.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime $(FUZZTIME) ./sync/wire/
	$(GO) test -run '^$$' -fuzz '^FuzzParseChunks$$' -fuzztime $(FUZZTIME) ./crdt/
	$(GO) test -run '^$$' -fuzz '^FuzzApplyChanges$$' -fuzztime $(FUZZTIME) ./crdt/
	$(GO) test -run '^$$' -fuzz '^FuzzParseSyncMessage$$' -fuzztime $(FUZZTIME) ./crdt/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeOps$$' -fuzztime $(FUZZTIME) ./crdt/
	$(GO) test -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) ./rooms/identity/
	$(GO) test -run '^$$' -fuzz '^FuzzTokenFromSubprotocols$$' -fuzztime $(FUZZTIME) ./rooms/identity/
	$(GO) test -run '^$$' -fuzz '^FuzzSendRequest$$' -fuzztime $(FUZZTIME) ./activities/chat/
	$(GO) test -run '^$$' -fuzz '^FuzzOpenRequest$$' -fuzztime $(FUZZTIME) ./activities/polls/
	$(GO) test -run '^$$' -fuzz '^FuzzAnswer$$' -fuzztime $(FUZZTIME) ./activities/polls/

bench: bench-go bench-gameday

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Whole-system figures: a node and 2,000 simulated students on this machine,
# in the scenarios lecture, chat and poll. The node uses the embedded store;
# BENCH_POSTGRES_URL=postgres://... puts it on Postgres, in a schema created
# for the run and dropped after it.
bench-gameday: build
	./scripts/bench-gameday.sh $(BIN) $(STUDENTS)

clean:
	rm -rf bin
