# Inference Playground. `make run` runs the simulator, `make test` runs every
# test (installing what the tests need when it is missing).

GO ?= go
# Packages whose tests need no display: all of them, for now.
PKGS := ./...

.PHONY: run test deps check bench fuzz build clean

run:
	$(GO) run ./cmd/infersim

test: deps check
	$(GO) test -count=1 $(PKGS)

deps:
	@bash scripts/deps.sh

# Formatting, vet, and the rule that the engine never links ebiten.
check:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	@if $(GO) list -deps ./sim/... ./cmd/infersim/... | grep -q ebiten; then echo "sim/ or infersim depends on ebiten"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./sim/

# Each fuzz target for FUZZTIME (go test fuzzes one target at a time).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseTrace$$' -fuzztime $(FUZZTIME) ./sim/
	$(GO) test -run '^$$' -fuzz '^FuzzConfig$$' -fuzztime $(FUZZTIME) ./sim/

build:
	CGO_ENABLED=0 $(GO) build -o bin/infersim ./cmd/infersim

clean:
	rm -rf bin
