# subnetkit build and test entry points. `make test` is what CI runs.
GO ?= go
GOFLAGS ?=
export GOFLAGS

.PHONY: all build test test-deps unit integration lint fmt vet bench clean

all: build

build:
	$(GO) build ./...

# test installs what the tests need (tools/test-deps.sh), checks formatting
# and vet, then runs the unit tests with the race detector and the
# integration tests against real servers.
test: test-deps lint unit integration

test-deps:
	./tools/test-deps.sh

lint: fmt vet

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...

# The integration tests need ONNX Runtime (installed by test-deps).
integration:
	ONNXRUNTIME_LIB=$(CURDIR)/.cache/test-deps/libonnxruntime.so.1 $(GO) test -tags integration -count=1 -timeout 20m ./...

# contracts recompiles the DRAIN Solidity sources with solc-js and regenerates
# the committed artifacts and Go bindings (internal/drain/contracts).
.PHONY: contracts
contracts:
	./tools/contracts/gen.sh

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	rm -rf .cache/test-deps
