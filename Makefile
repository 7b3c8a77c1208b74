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

.PHONY: build
build: build-windows ## Build the manager, ecswinctl and route-bootstrap into bin/.
	go build -o bin/manager ./cmd/manager
	go build -o bin/ecswinctl ./cmd/ecswinctl

.PHONY: build-windows
build-windows: ## Cross-compile route-bootstrap for windows/amd64.
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o bin/route-bootstrap.exe ./cmd/route-bootstrap

.PHONY: docker-build
docker-build: ## Build the manager image (needs a Docker engine).
	docker build -t $(IMG) .
