# Inference Playground. `make run` opens the visual simulator, `make test`
# runs every test (installing what the tests need when it is missing).

GO ?= go
PKGS := ./...
# Binaries that link Ebitengine need a display on Linux; without one, the
# tests run under a virtual X server.
XVFB := $(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1920x1080x24")

.PHONY: run test test-wasm deps check bench fuzz build clean screenshots web serve

run: deps
	$(GO) run .

# Every test: the engine, the app under Xvfb, and the web build in headless
# Chromium (web/); then the engine's golden runs again as WebAssembly.
test: deps check
	$(XVFB) $(GO) test -count=1 $(PKGS)
	$(MAKE) test-wasm

# The engine's golden and determinism tests compiled to WebAssembly and run
# by Node.js: the same results as on the desktop, to the bit.
test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" \
		-run 'Golden|SameSeed|Reference|Roofline|RequestsFile|Overrides' ./sim/
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./lesson/ ./playback/ ./sim/hw/ ./sim/workload/ ./sweep/ ./duel/ ./cluster/

deps:
	@bash scripts/deps.sh

# Formatting, vet, and the rule that the engine never links ebiten (nor
# do the settings and the preflight, which run where ebiten cannot start).
check:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	@if $(GO) list -deps ./sim/... ./playback/... ./lesson/... ./settings/... ./preflight/... ./assets/... ./web/... ./cmd/infersim/... ./cmd/webserve/... | grep -q ebiten; then echo "sim/, playback/, lesson/, settings/, preflight/, assets/, web/, infersim or webserve depends on ebiten"; exit 1; fi

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./sim/
	$(XVFB) $(GO) test -run '^$$' -bench . -benchmem ./game/

# Each fuzz target for FUZZTIME (go test fuzzes one target at a time).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseTrace$$' -fuzztime $(FUZZTIME) ./sim/
	$(GO) test -run '^$$' -fuzz '^FuzzConfig$$' -fuzztime $(FUZZTIME) ./sim/
	$(GO) test -run '^$$' -fuzz '^FuzzAdversarialMix$$' -fuzztime $(FUZZTIME) ./sim/
	$(GO) test -run '^$$' -fuzz '^FuzzWorkloadShapes$$' -fuzztime $(FUZZTIME) ./sim/
	$(GO) test -run '^$$' -fuzz '^FuzzParseScenario$$' -fuzztime $(FUZZTIME) ./sim/
	$(GO) test -run '^$$' -fuzz '^FuzzSubmitted$$' -fuzztime $(FUZZTIME) ./sim/

build: deps
	CGO_ENABLED=0 $(GO) build -o bin/infersim ./cmd/infersim
	$(GO) build -o bin/inferplay .

# The README's screenshots, drawn by the app itself: one per scene of the
# tour, mid-beat, and one in presenter mode.
screenshots: deps
	$(GO) build -o bin/inferplay .
	$(XVFB) bin/inferplay -window 1920x1080 -scene prompt -beat 3 -frames 200 -screenshot docs/scene-prompt.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene kvcache -beat 3 -frames 400 -screenshot docs/scene-kvcache.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene kvcache -beat 5 -frames 300 -screenshot docs/scene-kvcache-paged.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene contention -beat 5 -frames 400 -screenshot docs/scene-contention.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene batching -beat 3 -frames 10 -screenshot docs/scene-batching.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene chunking -beat 3 -frames 10 -screenshot docs/scene-chunking.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene roofline -beat 2 -screenshot docs/scene-roofline.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene sharing -beat 1 -screenshot docs/scene-sharing.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene sharing -beat 5 -screenshot docs/scene-sharing-tier.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene cluster -beat 1 -screenshot docs/scene-cluster.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene cluster -beat 3 -screenshot docs/scene-cluster-pd.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene playground -beat 2 -screenshot docs/playground.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene contention -beat 2 -frames 240 -presenter -screenshot docs/presenter.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene playground -scheduler mlfq -curves -frames 2400 -screenshot docs/curves.png
	$(XVFB) bin/inferplay -window 1920x1080 -scene playground -beat 3 -screenshot docs/duel.png
	$(XVFB) bin/inferplay -window 1920x1080 -scenario assistant -gpu constrained -duel prefix-caching=off,prefix-caching=on -ticks 420 -screenshot docs/prefix-duel.png

# The browser version: a static site in web/dist (index.html, wasm_exec.js,
# the module and a gzip and a brotli copy of it; brotli at its best takes
# about a minute).
web:
	$(GO) run ./cmd/webbuild -out web/dist

# Serves web/dist on http://127.0.0.1:8080/, this machine only (ADDR=host:port
# to change; ADDR=:8080 listens on every interface).
ADDR ?= 127.0.0.1:8080
serve: web
	$(GO) run ./cmd/webserve -dir web/dist -addr $(ADDR)

clean:
	rm -rf bin web/dist
