# ecswin. `make demo` and `make test` are the whole set-up: every tool they
# need is built from the Go module proxy into $(CACHE), keyed by version, so
# a warm machine rebuilds nothing.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

CACHE ?= $(or $(ECSWIN_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ecswin)
export ECSWIN_CACHE := $(CACHE)

IMG ?= ecswin/manager:dev
GO_TEST_FLAGS ?= -race
BENCH ?= .
BENCHTIME ?= 1x

CONTROLLER_GEN = $(shell hack/tool.sh controller-gen)
GOLANGCI_LINT = $(shell hack/tool.sh golangci-lint)

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-14s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Use

.PHONY: demo
demo: ## Run the reconcile loop on the embedded simulated fleet and watch it converge.
	go run ./cmd/ecswinctl demo

##@ Development

.PHONY: generate
generate: ## Generate the deepcopy code of the API types.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: ## Generate the CRD and the RBAC role from the kubebuilder markers.
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=manager-role paths=./controllers/... output:rbac:artifacts:config=config/rbac
	go generate ./internal/policyfile   # the CLI validates policy files with a copy of the CRD

.PHONY: fmt
fmt: ## gofmt every Go file.
	gofmt -w $$(git ls-files '*.go')

.PHONY: vet
WINDOWS_PKGS = ./cmd/route-bootstrap/... ./internal/bootstrap/...

vet: ## go vet for Linux, and for Windows over route-bootstrap (the code that runs there).
	go vet ./...
	GOOS=windows go vet $(WINDOWS_PKGS)

.PHONY: lint
lint: ## Run golangci-lint with .golangci.yml.
	$(GOLANGCI_LINT) run ./...
	GOOS=windows $(GOLANGCI_LINT) run $(WINDOWS_PKGS)

.PHONY: envtest
envtest: ## Build (once) kube-apiserver and etcd for the envtest suites; prints their directory.
	@hack/envtest-assets.sh

.PHONY: test
test: vet build-windows ## Vet, cross-compile route-bootstrap, run every test (envtest and the PowerShell parse check included) with -race.
	hack/pwsh-parse/install.sh >/dev/null
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" ECSWIN_PWSH_PARSER="$$(hack/pwsh-parse/install.sh)" go test $(GO_TEST_FLAGS) ./...

.PHONY: bench
bench: ## Run the benchmarks once each (BENCH=regexp, BENCHTIME=Nx).
	go test -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME) -benchmem ./...

FUZZTIME ?= 30s

.PHONY: fuzz
fuzz: ## Fuzz the report parsers, the SSM parameter mapping and the adapter matcher, FUZZTIME each (seed corpora run in make test).
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/bootstrap/report
	go test -run '^$$' -fuzz '^FuzzHostArgs$$' -fuzztime $(FUZZTIME) ./internal/bootstrap/ssmdoc
	go test -run '^$$' -fuzz '^FuzzLike$$' -fuzztime $(FUZZTIME) ./internal/bootstrap/ensure
	go test -run '^$$' -fuzz '^FuzzReadReport$$' -fuzztime $(FUZZTIME) ./internal/remediate

.PHONY: verify
verify: generate manifests ## Regenerate and fail if anything generated or formatted differs from what is committed.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go mod tidy -diff
	@git diff --exit-code -- api config internal/policyfile/crd.yaml || { echo "generated files are stale: run make generate manifests and commit"; exit 1; }

##@ Build

# Reproducible builds: the same source and Go version give the same bytes on
# any machine (no paths, no build ID, no VCS stamp, no cgo), so anyone can
# rebuild route-bootstrap.exe and compare its SHA-256 with the one the
# manager pins in the SSM document.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BUILDINFO = github.com/ecswin/ecswin/internal/buildinfo
REPRO = CGO_ENABLED=0 go build -trimpath -buildvcs=false
LDFLAGS = -s -w -buildid= -X $(BUILDINFO).version=$(VERSION) -X $(BUILDINFO).commit=$(COMMIT)
# The hash of bin/route-bootstrap.exe, read when a recipe needs it.
BOOTSTRAP_SHA256 = $$(sha256sum bin/route-bootstrap.exe | cut -d' ' -f1)
LDFLAGS_PINNED = $(LDFLAGS) -X $(BUILDINFO).routeBootstrapSHA256=$(BOOTSTRAP_SHA256)
DIST ?= dist
RELEASE_PLATFORMS ?= linux/amd64 linux/arm64

.PHONY: build
build: build-windows ## Build bin/manager and bin/ecswinctl pinning the SHA-256 of bin/route-bootstrap.exe.
	$(REPRO) -ldflags="$(LDFLAGS_PINNED)" -o bin/manager ./cmd/manager
	$(REPRO) -ldflags="$(LDFLAGS_PINNED)" -o bin/ecswinctl ./cmd/ecswinctl
	@echo "route-bootstrap.exe sha256 $(BOOTSTRAP_SHA256) pinned in bin/manager and bin/ecswinctl"

.PHONY: build-windows
build-windows: ## Cross-compile route-bootstrap for windows/amd64, reproducibly.
	GOOS=windows GOARCH=amd64 $(REPRO) -ldflags="$(LDFLAGS)" -o bin/route-bootstrap.exe ./cmd/route-bootstrap

.PHONY: release
release: build-windows ## Build $(DIST)/: route-bootstrap.exe, manager and ecswinctl for Linux, the SSM document, SHA256SUMS.
	rm -rf $(DIST) && mkdir -p $(DIST)
	cp bin/route-bootstrap.exe $(DIST)/route-bootstrap.exe
	for p in $(RELEASE_PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; \
	  GOOS=$$os GOARCH=$$arch $(REPRO) -ldflags="$(LDFLAGS_PINNED)" -o $(DIST)/manager-$$os-$$arch ./cmd/manager; \
	  GOOS=$$os GOARCH=$$arch $(REPRO) -ldflags="$(LDFLAGS_PINNED)" -o $(DIST)/ecswinctl-$$os-$$arch ./cmd/ecswinctl; \
	done
	go run -ldflags="$(LDFLAGS_PINNED)" ./cmd/manager --print-ssm-document > $(DIST)/ecswin-route-bootstrap.json
	cd $(DIST) && sha256sum -- * > SHA256SUMS
	@cat $(DIST)/SHA256SUMS

.PHONY: release-verify
release-verify: ## Rebuild the release from a clean copy of HEAD elsewhere and compare SHA256SUMS with $(DIST)/.
	@test -f $(DIST)/SHA256SUMS || { echo "no $(DIST)/SHA256SUMS: run make release first"; exit 1; }
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	git archive HEAD | tar -x -C "$$tmp" && \
	$(MAKE) -C "$$tmp" release VERSION=$(VERSION) COMMIT=$(COMMIT) DIST=dist >/dev/null && \
	diff $(DIST)/SHA256SUMS "$$tmp/dist/SHA256SUMS" && echo "reproduced: every file of $(DIST)/ has the same SHA-256"

.PHONY: docker-build
docker-build: build-windows ## Build the manager image pinning bin/route-bootstrap.exe's SHA-256 (needs a Docker engine).
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) \
	  --build-arg ROUTE_BOOTSTRAP_SHA256=$(BOOTSTRAP_SHA256) -t $(IMG) .
